# Deliberately non-compliant: raw resources, each breaking the rules named in
# its comment. tests/test_modules.py scans this folder and expects exactly the
# findings listed in expected.json. Never apply it.

provider "aws" {
  region = var.region
}

locals {
  role_arn = "arn:aws:iam::111122223333:role/sagemaker-execution"
  image    = "763104351884.dkr.ecr.${var.region}.amazonaws.com/tensorflow-inference:2.16.1-cpu-py310-ubuntu20.04-sagemaker"
}

# SMG-MODEL-001 and SMG-MODEL-002: network isolation off, no VPC.
resource "aws_sagemaker_model" "open" {
  name                     = "open-model"
  execution_role_arn       = local.role_arn
  enable_network_isolation = false

  primary_container {
    image          = local.image
    model_data_url = "s3://example-ml-artefacts/open/model.tar.gz"
  }
}

# SMG-MODEL-004 and SMG-MODEL-005 (warnings): isolated and in a VPC, but a
# Chainer image cannot run isolated, and the environment makes the container
# download its code from S3 and its weights from the Hugging Face Hub.
resource "aws_sagemaker_model" "fetches_at_start" {
  name                     = "fetching-model"
  execution_role_arn       = local.role_arn
  enable_network_isolation = true

  primary_container {
    image = "520713654638.dkr.ecr.${var.region}.amazonaws.com/sagemaker-chainer:5.0.0-cpu-py3"
    environment = {
      SAGEMAKER_SUBMIT_DIRECTORY = "s3://example-ml-artefacts/code/sourcedir.tar.gz"
      HF_MODEL_ID                = "distilbert-base-uncased"
    }
  }

  vpc_config {
    subnets            = ["subnet-0a1b2c3d4e5f60718"]
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  }
}

# SMG-ENDPOINT-001, SMG-ENDPOINT-003 and SMG-ENDPOINT-004: serves the open
# model, no KMS key for the volume, asynchronous output not encrypted.
resource "aws_sagemaker_endpoint_configuration" "unencrypted" {
  name = "unencrypted"

  production_variants {
    variant_name           = "main"
    model_name             = aws_sagemaker_model.open.name
    instance_type          = "ml.m5.large"
    initial_instance_count = 1
  }

  async_inference_config {
    output_config {
      s3_output_path = "s3://example-ml-artefacts/async/output"
    }
  }
}

# SMG-ENDPOINT-002: its configuration fails.
resource "aws_sagemaker_endpoint" "unencrypted" {
  name                 = "unencrypted"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.unencrypted.name
}

# SMG-DOMAIN-001, SMG-DOMAIN-004 and SMG-DOMAIN-005: PublicInternetOnly (the
# default), no security groups for users, home volume under an AWS managed key.
resource "aws_sagemaker_domain" "public" {
  domain_name = "public-studio"
  auth_mode   = "IAM"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
  subnet_ids  = ["subnet-0a1b2c3d4e5f60718"]

  default_user_settings {
    execution_role = local.role_arn
  }
}

# SMG-PROFILE-001: neither the profile nor its domain sets security groups.
resource "aws_sagemaker_user_profile" "analyst" {
  domain_id         = aws_sagemaker_domain.public.id
  user_profile_name = "analyst"
}

# SMG-DOMAIN-006 (warning): VpcOnly, but no VPC endpoints in its VPC.
resource "aws_sagemaker_domain" "no_endpoints" {
  domain_name             = "studio-without-endpoints"
  auth_mode               = "IAM"
  vpc_id                  = "vpc-0b1c2d3e4f5a60718"
  subnet_ids              = ["subnet-0b1c2d3e4f5a60718"]
  app_network_access_type = "VpcOnly"
  kms_key_id              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  default_user_settings {
    execution_role  = local.role_arn
    security_groups = ["sg-0b1c2d3e4f5a60718"]
  }
}

# SMG-IAM-002: looks like a guardrail but lets requests through. Bool does not
# match a request that leaves network isolation out, ForAllValues: lets a list
# with one allowed subnet through, and both conditions in one statement must
# match together.
resource "aws_iam_policy" "leaky_guardrail" {
  name = "leaky-sagemaker-guardrail"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyNonIsolated"
      Effect   = "Deny"
      Action   = ["sagemaker:CreateModel", "sagemaker:CreateTrainingJob"]
      Resource = "*"
      Condition = {
        Bool                           = { "sagemaker:NetworkIsolation" = "false" }
        "ForAllValues:StringNotEquals" = { "sagemaker:VpcSubnets" = ["subnet-0a1b2c3d4e5f60718"] }
      }
    }]
  })
}
