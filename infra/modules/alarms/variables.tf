variable "name_prefix" {
  description = "Prefix of the topic's and the alarms' names, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key that encrypts the alarm topic (its policy lets CloudWatch use it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "function_names" {
  description = "Function key -> Lambda function name: errors, throttles and duration alarms for each."
  type        = map(string)

  validation {
    condition     = length(var.function_names) > 0
    error_message = "function_names must name at least one function."
  }
}

variable "function_timeout_seconds" {
  description = "Timeout of those functions; the duration alarm fires at lambda_duration_timeout_percent of it."
  type        = number

  validation {
    condition     = var.function_timeout_seconds >= 1 && var.function_timeout_seconds <= 900
    error_message = "function_timeout_seconds must be between 1 and 900."
  }
}

variable "stream_consumers" {
  description = "Function key -> name of each function reading a Kinesis stream (AWS/Lambda IteratorAge)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in values(var.stream_consumers) : length(name) >= 1 && length(name) <= 64])
    error_message = "stream_consumers values must be function names (1-64 characters)."
  }
}

variable "scheduled_functions" {
  description = "Function key -> name of each function run on a schedule (missed runs: too few Invocations)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in values(var.scheduled_functions) : length(name) >= 1 && length(name) <= 64])
    error_message = "scheduled_functions values must be function names (1-64 characters)."
  }
}

variable "dead_letter_queue_names" {
  description = "Key -> SQS dead-letter queue name: an alarm on any visible message."
  type        = map(string)

  validation {
    condition     = length(var.dead_letter_queue_names) > 0
    error_message = "dead_letter_queue_names must name at least one queue."
  }
}

variable "stream_names" {
  description = "Key -> Kinesis stream name: iterator age and write throttling alarms."
  type        = map(string)

  validation {
    condition     = length(var.stream_names) > 0
    error_message = "stream_names must name at least one stream."
  }
}

variable "delivery_stream_names" {
  description = "Key -> Firehose delivery stream name: freshness, failed S3 deliveries and error-prefix alarms."
  type        = map(string)

  validation {
    condition     = length(var.delivery_stream_names) > 0
    error_message = "delivery_stream_names must name at least one delivery stream."
  }
}

variable "event_rule_names" {
  description = "Key -> EventBridge rule name: failed invocations."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for name in values(var.event_rule_names) : length(name) >= 1 && length(name) <= 64])
    error_message = "event_rule_names values must be rule names (1-64 characters)."
  }
}

variable "ingest_metric_dimensions" {
  description = "Function key -> the dimensions (service, source) of its Powertools metrics in metrics_namespace."
  type        = map(object({ service = string, source = string }))

  validation {
    condition     = length(var.ingest_metric_dimensions) > 0
    error_message = "ingest_metric_dimensions must describe at least one function."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the functions' Powertools metrics."
  type        = string
  default     = "ConnectIngest"

  validation {
    condition     = can(regex("^[A-Za-z0-9/_.#:-]{1,255}$", var.metrics_namespace))
    error_message = "metrics_namespace must be a valid CloudWatch namespace."
  }
}

variable "athena_workgroup_name" {
  description = "Athena workgroup of the dashboards (it publishes CloudWatch metrics)."
  type        = string

  validation {
    condition     = length(var.athena_workgroup_name) >= 1 && length(var.athena_workgroup_name) <= 128
    error_message = "athena_workgroup_name must be 1-128 characters."
  }
}

variable "athena_bytes_scanned_cutoff" {
  description = "The workgroup's per-query scan cutoff in bytes."
  type        = number

  validation {
    condition     = var.athena_bytes_scanned_cutoff >= 10485760
    error_message = "athena_bytes_scanned_cutoff must be at least 10485760 (10 MB)."
  }
}

variable "timestream_enabled" {
  description = "Whether the real-time store is Timestream for LiveAnalytics (its own error metrics get alarms)."
  type        = bool
  default     = false

  validation {
    condition     = var.timestream_enabled != null
    error_message = "timestream_enabled must be true or false."
  }
}

variable "email_addresses" {
  description = "E-mail addresses subscribed to the alarm topic (each confirms by e-mail)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "email_addresses must be e-mail addresses."
  }
}

variable "https_endpoints" {
  description = "HTTPS endpoints subscribed to the alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.https_endpoints : startswith(u, "https://")])
    error_message = "https_endpoints must be https:// URLs."
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

# Thresholds: null (what the root passes for a threshold it does not override) takes the default.

variable "alarm_period_seconds" {
  description = "Seconds each alarm's statistic covers (one evaluation period)."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = contains([60, 300, 600, 900, 3600], var.alarm_period_seconds)
    error_message = "alarm_period_seconds must be 60, 300, 600, 900 or 3600."
  }
}

variable "lambda_errors" {
  description = "Function errors per period that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.lambda_errors >= 1
    error_message = "lambda_errors must be at least 1."
  }
}

variable "lambda_throttles" {
  description = "Throttled invocations per period that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.lambda_throttles >= 1
    error_message = "lambda_throttles must be at least 1."
  }
}

variable "lambda_duration_timeout_percent" {
  description = "Longest run per period, as a percentage of the function timeout, that raises the alarm."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.lambda_duration_timeout_percent > 0 && var.lambda_duration_timeout_percent <= 100
    error_message = "lambda_duration_timeout_percent must be in (0, 100]."
  }
}

variable "dead_letter_messages" {
  description = "Visible messages in a dead-letter queue that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.dead_letter_messages >= 1
    error_message = "dead_letter_messages must be at least 1."
  }
}

variable "iterator_age_seconds" {
  description = "Age in seconds of the oldest unread Kinesis record (stream and consumer function) that raises the alarm."
  type        = number
  default     = 600
  nullable    = false

  validation {
    condition     = var.iterator_age_seconds >= 1
    error_message = "iterator_age_seconds must be at least 1."
  }
}

variable "kinesis_write_throttles" {
  description = "Throttled writes to a stream per period that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.kinesis_write_throttles >= 1
    error_message = "kinesis_write_throttles must be at least 1."
  }
}

variable "firehose_freshness_seconds" {
  description = "Age in seconds of Firehose's oldest undelivered record that raises the alarm (its buffer interval is 300 s, dynamic partitioning up to 1.5 times that)."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition     = var.firehose_freshness_seconds >= 60
    error_message = "firehose_freshness_seconds must be at least 60."
  }
}

variable "firehose_delivery_success_ratio" {
  description = "DeliveryToS3.Success (successful over attempted S3 puts) below which the alarm fires."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.firehose_delivery_success_ratio > 0 && var.firehose_delivery_success_ratio <= 1
    error_message = "firehose_delivery_success_ratio must be in (0, 1]."
  }
}

variable "firehose_error_records" {
  description = "Records per period sent to the error prefix (failed format conversion) that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.firehose_error_records >= 1
    error_message = "firehose_error_records must be at least 1."
  }
}

variable "eventbridge_failed_invocations" {
  description = "Failed rule invocations per period that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.eventbridge_failed_invocations >= 1
    error_message = "eventbridge_failed_invocations must be at least 1."
  }
}

variable "collector_min_runs" {
  description = "Fewest scheduled runs per period; fewer (or none) raise the alarm. 3 suits rate(1 minute) over 300 s."
  type        = number
  default     = 3
  nullable    = false

  validation {
    condition     = var.collector_min_runs >= 1
    error_message = "collector_min_runs must be at least 1."
  }
}

variable "rejected_records" {
  description = "Records the real-time store refused per period (RecordsRejected) that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.rejected_records >= 1
    error_message = "rejected_records must be at least 1."
  }
}

variable "retried_inputs" {
  description = "Inputs retried per period because the store was unavailable or throttled (InputsRetried) that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.retried_inputs >= 1
    error_message = "retried_inputs must be at least 1."
  }
}

variable "timestream_errors" {
  description = "Timestream WriteRecords UserErrors or SystemErrors per period that raise the alarm."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.timestream_errors >= 1
    error_message = "timestream_errors must be at least 1."
  }
}

variable "athena_cutoff_percent" {
  description = "Bytes a cancelled query scanned, as a percentage of the scan cutoff, that count as stopped by the cutoff."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.athena_cutoff_percent > 0 && var.athena_cutoff_percent <= 100
    error_message = "athena_cutoff_percent must be in (0, 100]."
  }
}
