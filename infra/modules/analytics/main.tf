# The Athena workgroup the dashboards query through: enforced settings, a
# per-query scan cutoff and KMS-encrypted results in a bucket of their own.

module "results" {
  source = "../s3_bucket"

  bucket_name       = var.results_bucket_name
  kms_key_arn       = var.kms_key_arn
  expiration_days   = var.results_retention_days
  access_log_bucket = var.access_log_bucket
  force_destroy     = true
  tags              = var.tags
}

resource "aws_athena_workgroup" "this" {
  name          = var.workgroup_name
  description   = "Grafana dashboards over Amazon Connect contact records."
  force_destroy = true

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location       = "s3://${module.results.bucket_name}/${var.results_prefix}/"
      expected_bucket_owner = data.aws_caller_identity.current.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }

  tags = var.tags
}

data "aws_caller_identity" "current" {}
