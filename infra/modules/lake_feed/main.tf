# One archived stream: Kinesis -> Firehose -> S3 (partitioned by the record's own date, from the Glue table's
# JQ queries) -> an explicit Glue table with partition projection -> Athena. ctr_lake calls it once per stream,
# into its one bucket and database.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
  table      = var.glue_table
  data_root  = "${var.data_prefix}/${local.table.name}"
  parquet    = var.output_format == "parquet"
  key_prefix = join("/", [for k in local.table.partition_keys : "${k.name}=!{partitionKeyFromQuery:${k.name}}"])
  jq_query   = "{${join(",", [for name, query in local.table.firehose_partition_queries : "${name}: ${query}"])}}"
  location   = "s3://${var.bucket_name}/${local.data_root}/"
  template   = "${local.location}${join("/", [for k in local.table.partition_keys : "${k.name}=$${${k.name}}"])}/"
  glue_arns = [
    "arn:${local.partition}:glue:${local.region}:${local.account}:catalog",
    var.glue_database_arn,
    "arn:${local.partition}:glue:${local.region}:${local.account}:table/${var.glue_database_name}/${local.table.name}",
  ]
}

resource "aws_glue_catalog_table" "this" {
  name          = local.table.name
  database_name = var.glue_database_name
  description   = local.table.description
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(local.table.projection_parameters, {
    "EXTERNAL"                  = "TRUE"
    "classification"            = local.parquet ? "parquet" : "json"
    "storage.location.template" = local.template
  })

  dynamic "partition_keys" {
    for_each = local.table.partition_keys
    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  storage_descriptor {
    location      = local.location
    input_format  = local.parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat" : "org.apache.hadoop.mapred.TextInputFormat"
    output_format = local.parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat" : "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = local.parquet ? "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" : "org.openx.data.jsonserde.JsonSerDe"
      parameters            = local.parquet ? { "serialization.format" = "1" } : { "case.insensitive" = "TRUE", "ignore.malformed.json" = "TRUE" }
    }

    dynamic "columns" {
      for_each = local.table.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "firehose" {
  name              = "/aws/kinesisfirehose/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "firehose" {
  name           = "S3Delivery"
  log_group_name = aws_cloudwatch_log_group.firehose.name
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account]
    }
  }
}

data "aws_iam_policy_document" "firehose" {
  statement {
    sid       = "Read${var.stream_sid}"
    actions   = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [var.stream_arn]
  }

  statement {
    sid       = "WriteLake"
    actions   = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"]
    resources = [var.bucket_arn, "${var.bucket_arn}/*"]
  }

  statement {
    sid       = "Decrypt${var.stream_sid}"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["kinesis.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:kinesis:arn"
      values   = [var.stream_arn]
    }
  }

  statement {
    # SSE-KMS objects: GenerateDataKey to write, Decrypt for multipart uploads. With S3 Bucket Keys the
    # encryption context is the bucket's ARN, without them the object's.
    sid       = "EncryptLakeObjects"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [var.bucket_arn, "${var.bucket_arn}/*"]
    }
  }

  statement {
    sid       = "ReadTableSchema"
    actions   = ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"]
    resources = local.glue_arns
  }

  statement {
    sid       = "WriteDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose.arn}:log-stream:${aws_cloudwatch_log_stream.firehose.name}"]
  }
}

resource "aws_iam_role" "firehose" {
  name               = "${var.name}-firehose"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "firehose" {
  name   = var.policy_name
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}

resource "aws_kinesis_firehose_delivery_stream" "this" {
  #checkov:skip=CKV_AWS_240:Server-side encryption applies only to Direct PUT streams; this one reads a KMS-encrypted Kinesis stream and writes SSE-KMS objects.
  #checkov:skip=CKV_AWS_241:As CKV_AWS_240: the source stream and the S3 output use the customer-managed key; Firehose rejects SSE settings on a Kinesis source.
  name        = var.name
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = var.stream_arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = var.bucket_arn
    kms_key_arn         = var.kms_key_arn
    prefix              = "${local.data_root}/${local.key_prefix}/"
    error_output_prefix = "${var.error_prefix}/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/"
    buffering_size      = var.buffering_size_mb
    buffering_interval  = var.buffering_interval_seconds
    compression_format  = local.parquet ? "UNCOMPRESSED" : "GZIP"

    dynamic_partitioning_configuration {
      enabled        = true
      retry_duration = 300
    }

    processing_configuration {
      enabled = true

      processors {
        type = "MetadataExtraction"
        parameters {
          parameter_name  = "MetadataExtractionQuery"
          parameter_value = local.jq_query
        }
        parameters {
          parameter_name  = "JsonParsingEngine"
          parameter_value = "JQ-1.6"
        }
      }

      dynamic "processors" {
        for_each = local.parquet ? [] : ["newline"]
        content {
          type = "AppendDelimiterToRecord"
          parameters {
            parameter_name  = "Delimiter"
            parameter_value = "\\n"
          }
        }
      }
    }

    dynamic "data_format_conversion_configuration" {
      for_each = local.parquet ? ["parquet"] : []
      content {
        enabled = true

        input_format_configuration {
          deserializer {
            open_x_json_ser_de {
              case_insensitive = true
            }
          }
        }

        output_format_configuration {
          serializer {
            parquet_ser_de {
              compression = "SNAPPY"
            }
          }
        }

        schema_configuration {
          role_arn      = aws_iam_role.firehose.arn
          database_name = var.glue_database_name
          table_name    = aws_glue_catalog_table.this.name
          region        = local.region
          version_id    = "LATEST"
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.firehose.name
    }
  }

  tags = var.tags
}
