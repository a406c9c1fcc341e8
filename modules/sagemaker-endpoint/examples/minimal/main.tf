provider "aws" {
  region = var.region
}

module "model" {
  source = "../../../sagemaker-model"

  name               = "churn-model"
  execution_role_arn = var.execution_role_arn

  containers = [{
    image          = "763104351884.dkr.ecr.${var.region}.amazonaws.com/tensorflow-inference:2.16.1-cpu-py310-ubuntu20.04-sagemaker"
    model_data_url = "s3://example-ml-artefacts/churn/model.tar.gz"
  }]

  vpc_config = {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }
}

module "endpoint" {
  source = "../.."

  name        = "churn"
  kms_key_arn = var.kms_key_arn

  production_variants = [{
    model_name    = module.model.name
    instance_type = "ml.m5.large"
  }]
}
