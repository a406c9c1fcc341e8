# The whole network-isolated SageMaker setup: VPC endpoints, a VpcOnly Studio
# domain with user profiles, isolated models (one single-container, one
# inference pipeline), a real-time and an asynchronous endpoint, and the IAM
# and Organizations guardrails that deny anything created outside it.
#
# The VPC, subnets, route tables, workload security groups, KMS key and roles
# are those of an existing network stack, given by ID: smguard follows
# references only within one module, so IDs of resources created here and
# passed into the modules would be unknown inputs it cannot verify.

provider "aws" {
  region = var.region
}

locals {
  workload_security_group_ids = [var.security_group_ids.studio, var.security_group_ids.models]
}

module "vpc_endpoints" {
  source = "../../sagemaker-vpc-endpoints"

  name   = var.name
  region = var.region

  network = {
    vpc_id          = var.network.vpc_id
    subnet_ids      = var.network.private_subnet_ids
    route_table_ids = var.network.private_route_table_ids
  }

  allowed_security_group_ids = local.workload_security_group_ids
  services                   = ["s3", "sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr", "kms"]

  tags = var.tags
}

module "domain" {
  source = "../../sagemaker-domain"

  name               = var.name
  kms_key_arn        = var.kms_key_arn
  execution_role_arn = var.roles.studio

  network = {
    vpc_id             = var.network.vpc_id
    subnet_ids         = var.network.private_subnet_ids
    security_group_ids = [var.security_group_ids.studio]
  }

  user_profiles = {
    "data-scientist" = {}
    "ml-engineer"    = { execution_role_arn = var.roles.ml_engineer }
  }

  tags = var.tags
}

module "scorer" {
  source = "../../sagemaker-model"

  name               = "${var.name}-scorer"
  execution_role_arn = var.roles.models

  containers = [{
    image          = "763104351884.dkr.ecr.${var.region}.amazonaws.com/tensorflow-inference:2.16.1-cpu-py310-ubuntu20.04-sagemaker"
    model_data_url = "s3://${var.artefact_bucket}/scorer/model.tar.gz"
    environment = {
      SAGEMAKER_PROGRAM          = "inference.py"
      SAGEMAKER_SUBMIT_DIRECTORY = "/opt/ml/model/code"
    }
  }]

  vpc_config = {
    subnet_ids         = var.network.private_subnet_ids
    security_group_ids = [var.security_group_ids.models]
  }

  tags = var.tags
}

module "pipeline" {
  source = "../../sagemaker-model"

  name               = "${var.name}-pipeline"
  execution_role_arn = var.roles.models

  containers = [
    {
      # Your own image with the preprocessing code built in: the managed
      # Scikit-learn image does not support network isolation (SMG-MODEL-004).
      image              = "111122223333.dkr.ecr.${var.region}.amazonaws.com/churn-preprocess:1.4.0"
      model_data_url     = "s3://${var.artefact_bucket}/pipeline/preprocess.tar.gz"
      container_hostname = "preprocess"
    },
    {
      image              = "141502667606.dkr.ecr.${var.region}.amazonaws.com/sagemaker-xgboost:1.7-1"
      model_data_url     = "s3://${var.artefact_bucket}/pipeline/xgboost.tar.gz"
      container_hostname = "xgboost"
    },
  ]

  vpc_config = {
    subnet_ids         = var.network.private_subnet_ids
    security_group_ids = [var.security_group_ids.models]
  }

  tags = var.tags
}

module "realtime" {
  source = "../../sagemaker-endpoint"

  name        = "${var.name}-realtime"
  kms_key_arn = var.kms_key_arn

  production_variants = [
    {
      variant_name           = "scorer"
      model_name             = module.scorer.name
      instance_type          = "ml.m5.xlarge"
      initial_instance_count = 2
      initial_variant_weight = 9
    },
    {
      variant_name           = "pipeline"
      model_name             = module.pipeline.name
      instance_type          = "ml.c5.xlarge"
      initial_variant_weight = 1
    },
  ]

  tags = var.tags
}

module "batch_scoring" {
  source = "../../sagemaker-endpoint"

  name        = "${var.name}-async"
  kms_key_arn = var.kms_key_arn

  production_variants = [{
    model_name    = module.scorer.name
    instance_type = "ml.m5.xlarge"
  }]

  async_inference = {
    output_s3_uri                           = "s3://${var.artefact_bucket}/async/output"
    failure_s3_uri                          = "s3://${var.artefact_bucket}/async/failure"
    max_concurrent_invocations_per_instance = 4
  }

  tags = var.tags
}

module "guardrails" {
  source = "../../sagemaker-guardrails"

  name                       = "${var.name}-sagemaker-network"
  allowed_subnet_ids         = var.network.private_subnet_ids
  allowed_security_group_ids = local.workload_security_group_ids
  attach_to_role_names       = var.guarded_role_names
  exempt_principal_arns      = var.break_glass_role_arns

  service_control_policy = {
    target_ids = var.organizational_unit_ids
  }

  tags = var.tags
}
