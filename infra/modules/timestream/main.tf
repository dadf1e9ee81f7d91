# Timestream for LiveAnalytics: the real-time store. Its region is the one of the
# provider the root passes in (Timestream has no eu-west-2 endpoint); this module
# declares no provider of its own.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  region    = data.aws_region.current.name
  root_arn  = "arn:${data.aws_partition.current.partition}:iam::${local.account}:root"
  via_users = ["timestream.${local.region}.amazonaws.com", "s3.${local.region}.amazonaws.com"]
}

resource "aws_kms_key" "this" {
  description             = "Timestream database ${var.database_name} and its rejected-data bucket"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKey"
        Effect    = "Allow"
        Principal = { AWS = local.root_arn }
        Action = [
          "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
          "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
          "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RetireGrant",
        ]
        Resource = "*"
      },
      {
        Sid       = "NamedRolesUseKeyThroughTimestreamAndS3"
        Effect    = "Allow"
        Principal = { AWS = local.root_arn }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnEquals    = { "aws:PrincipalArn" = var.key_user_role_arns }
          StringEquals = { "kms:ViaService" = local.via_users }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.database_name}-timestream"
  target_key_id = aws_kms_key.this.key_id
}

module "rejected" {
  source = "../s3_bucket"

  bucket_name       = var.rejected_bucket_name
  kms_key_arn       = aws_kms_key.this.arn
  expiration_days   = var.rejected_retention_days
  access_log_bucket = var.access_log_bucket
  tags              = var.tags
}

resource "aws_timestreamwrite_database" "this" {
  database_name = var.database_name
  kms_key_id    = aws_kms_key.this.arn
  tags          = var.tags
}

resource "aws_timestreamwrite_table" "this" {
  for_each = var.tables

  database_name = aws_timestreamwrite_database.this.database_name
  table_name    = each.key

  retention_properties {
    memory_store_retention_period_in_hours  = var.memory_retention_hours
    magnetic_store_retention_period_in_days = var.magnetic_retention_days
  }

  magnetic_store_write_properties {
    enable_magnetic_store_writes = true

    magnetic_store_rejected_data_location {
      s3_configuration {
        bucket_name       = module.rejected.bucket_name
        object_key_prefix = "rejected/${each.key}/"
        encryption_option = "SSE_KMS"
        kms_key_id        = aws_kms_key.this.arn
      }
    }
  }

  tags = merge(var.tags, { measure_name = each.value.measure_name })
}
