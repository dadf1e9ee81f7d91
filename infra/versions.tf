terraform {
  required_version = ">= 1.11" # write-only arguments (the Grafana admin password)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.88" # secret_string_wo (modules/grafana)
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7.1, < 4.0.0" # ephemeral random_password
    }
  }
}
