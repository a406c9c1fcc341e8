provider "aws" {
  region = var.region
}

module "model" {
  source = "../.."

  name               = "fraud-scorer"
  execution_role_arn = var.execution_role_arn

  containers = [{
    image          = "763104351884.dkr.ecr.${var.region}.amazonaws.com/tensorflow-inference:2.16.1-cpu-py310-ubuntu20.04-sagemaker"
    model_data_url = "s3://example-ml-artefacts/fraud-scorer/model.tar.gz"
    environment = {
      SAGEMAKER_PROGRAM          = "inference.py"
      SAGEMAKER_SUBMIT_DIRECTORY = "/opt/ml/model/code"
    }
  }]

  vpc_config = {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }
}
