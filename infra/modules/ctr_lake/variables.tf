variable "name_prefix" {
  description = "Prefix for every resource name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "bucket_name" {
  description = "Globally unique name of the contact trace record bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "database_name" {
  description = "Glue database name (Athena database), e.g. connect_analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,254}$", var.database_name))
    error_message = "database_name must be lower-case letters, digits and underscores, starting with a letter."
  }
}

variable "glue_table" {
  description = "The contact trace record table from infra/generated/datamodel.json (glue_tables.contact_records)."
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

variable "ctr_stream_arn" {
  description = "ARN of the Kinesis stream Connect writes contact trace records to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:", var.ctr_stream_arn))
    error_message = "ctr_stream_arn must be a Kinesis stream ARN."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for the stream, bucket and logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "output_format" {
  description = "parquet: Firehose converts records against the Glue table; json: newline-delimited gzip JSON read with the OpenX SerDe."
  type        = string
  default     = "parquet"

  validation {
    condition     = contains(["parquet", "json"], var.output_format)
    error_message = "output_format must be parquet or json."
  }
}

variable "data_prefix" {
  description = "Key prefix under which the table's data lives."
  type        = string
  default     = "ctr"

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.data_prefix))
    error_message = "data_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "error_prefix" {
  description = "Key prefix for records Firehose could not convert or partition."
  type        = string
  default     = "errors"

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.error_prefix))
    error_message = "error_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "buffering_size_mb" {
  description = "Firehose buffer size in MiB (64-128: dynamic partitioning and format conversion need at least 64)."
  type        = number
  default     = 64

  validation {
    condition     = var.buffering_size_mb >= 64 && var.buffering_size_mb <= 128
    error_message = "buffering_size_mb must be between 64 and 128."
  }
}

variable "buffering_interval_seconds" {
  description = "Longest a record waits in Firehose's buffer (60-900 s)."
  type        = number
  default     = 300

  validation {
    condition     = var.buffering_interval_seconds >= 60 && var.buffering_interval_seconds <= 900
    error_message = "buffering_interval_seconds must be between 60 and 900."
  }
}

variable "retention_days" {
  description = "Days contact records are kept; null keeps them."
  type        = number
  default     = 1095

  validation {
    condition     = var.retention_days == null ? true : var.retention_days >= 30
    error_message = "retention_days must be at least 30 or null."
  }
}

variable "infrequent_access_after_days" {
  description = "Days after which records move to STANDARD_IA; null keeps them in STANDARD."
  type        = number
  default     = 90

  validation {
    condition     = var.infrequent_access_after_days == null ? true : var.infrequent_access_after_days >= 30
    error_message = "infrequent_access_after_days must be at least 30 or null."
  }
}

variable "access_log_bucket" {
  description = "Bucket for S3 server access logs; empty disables them."
  type        = string
  default     = ""

  validation {
    condition     = var.access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be empty or a bucket name."
  }
}

variable "log_retention_days" {
  description = "Days Firehose delivery error logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value, e.g. 365."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) <= 128])
    error_message = "Tag keys must be at most 128 characters."
  }
}

variable "agent_event_stream_arn" {
  description = "ARN of the Kinesis stream Connect writes agent events to; archived beside the contact records."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:", var.agent_event_stream_arn))
    error_message = "agent_event_stream_arn must be a Kinesis stream ARN."
  }
}

variable "agent_events_glue_table" {
  description = "The agent event table from infra/generated/datamodel.json (glue_tables.agent_events)."
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
    condition     = length(var.agent_events_glue_table.columns) > 0 && length(var.agent_events_glue_table.partition_keys) > 0
    error_message = "agent_events_glue_table needs columns and at least one partition key."
  }

  validation {
    condition     = alltrue([for k in var.agent_events_glue_table.partition_keys : contains(keys(var.agent_events_glue_table.firehose_partition_queries), k.name)])
    error_message = "Every partition key needs a Firehose JQ query in firehose_partition_queries."
  }
}

variable "agent_events_prefix" {
  description = "Key prefix under which the agent event table's data lives (beside data_prefix's contact records)."
  type        = string
  default     = "agent-events"

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.agent_events_prefix))
    error_message = "agent_events_prefix must be a relative key prefix without leading or trailing slashes."
  }
}
