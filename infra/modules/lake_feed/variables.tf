variable "name" {
  description = "Name of the Firehose delivery stream, e.g. connect-analytics-ctr; its log group is /aws/kinesisfirehose/<name> and its role <name>-firehose."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,45}$", var.name))
    error_message = "name must be 2-46 lower-case letters, digits or hyphens, starting with a letter (the role <name>-firehose stays within IAM's 64 characters)."
  }
}

variable "policy_name" {
  description = "Name of the delivery role's inline policy, e.g. ctr-delivery."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,127}$", var.policy_name))
    error_message = "policy_name must be lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "stream_sid" {
  description = "What the policy's stream statements are named after: Read<stream_sid> and Decrypt<stream_sid>, e.g. CtrStream."
  type        = string

  validation {
    condition     = can(regex("^[A-Z][A-Za-z0-9]{1,60}$", var.stream_sid))
    error_message = "stream_sid must be letters and digits starting with a capital (IAM statement ids are alphanumeric)."
  }
}

variable "stream_arn" {
  description = "ARN of the Kinesis stream Firehose reads."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:", var.stream_arn))
    error_message = "stream_arn must be a Kinesis stream ARN."
  }
}

variable "glue_table" {
  description = "The table from infra/generated/datamodel.json (one of glue_tables) the records are written to and read through."
  type = object({
    name                       = string
    description                = string
    columns                    = list(object({ name = string, type = string }))
    partition_keys             = list(object({ name = string, type = string }))
    partition_format           = string
    projection_parameters      = map(string)
    firehose_partition_queries = map(string)
  })

  validation {
    condition     = length(var.glue_table.columns) > 0 && length(var.glue_table.partition_keys) > 0
    error_message = "glue_table needs columns and at least one partition key."
  }

  validation {
    condition     = alltrue([for k in var.glue_table.partition_keys : contains(keys(var.glue_table.firehose_partition_queries), k.name)])
    error_message = "Every partition key needs a Firehose JQ query in firehose_partition_queries."
  }
}

variable "glue_database_name" {
  description = "Glue database the table belongs to."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,254}$", var.glue_database_name))
    error_message = "glue_database_name must be lower-case letters, digits and underscores, starting with a letter."
  }
}

variable "glue_database_arn" {
  description = "ARN of that Glue database (Firehose reads the table's schema through it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:glue:", var.glue_database_arn))
    error_message = "glue_database_arn must be a Glue database ARN."
  }
}

variable "bucket_name" {
  description = "Bucket the records are written to."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "bucket_arn" {
  description = "ARN of that bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key of the stream, the bucket and the log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "data_prefix" {
  description = "Key prefix under which the table's data lives (the table's name is appended)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.data_prefix))
    error_message = "data_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "error_prefix" {
  description = "Key prefix for records Firehose could not convert or partition."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.error_prefix))
    error_message = "error_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "output_format" {
  description = "parquet: Firehose converts records against the Glue table; json: newline-delimited gzip JSON read with the OpenX SerDe."
  type        = string

  validation {
    condition     = contains(["parquet", "json"], var.output_format)
    error_message = "output_format must be parquet or json."
  }
}

variable "buffering_size_mb" {
  description = "Firehose buffer size in MiB (64-128: dynamic partitioning and format conversion need at least 64)."
  type        = number

  validation {
    condition     = var.buffering_size_mb >= 64 && var.buffering_size_mb <= 128
    error_message = "buffering_size_mb must be between 64 and 128."
  }
}

variable "buffering_interval_seconds" {
  description = "Longest a record waits in Firehose's buffer (60-900 s)."
  type        = number

  validation {
    condition     = var.buffering_interval_seconds >= 60 && var.buffering_interval_seconds <= 900
    error_message = "buffering_interval_seconds must be between 60 and 900."
  }
}

variable "log_retention_days" {
  description = "Days Firehose delivery error logs are kept."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value, e.g. 365."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) <= 128])
    error_message = "Tag keys must be at most 128 characters."
  }
}
