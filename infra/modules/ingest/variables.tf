variable "name_prefix" {
  description = "Prefix for every resource name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "role_names" {
  description = "IAM role name per function (agent_events, contact_events, collector); the root names them so the Timestream key policy can list them."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["agent_events", "contact_events", "collector"], keys(var.role_names))) == 0
    error_message = "role_names needs agent_events, contact_events and collector."
  }
}

variable "connect_instance_id" {
  description = "Amazon Connect instance ID (a UUID) whose events and metrics are ingested."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.connect_instance_id))
    error_message = "connect_instance_id must be the instance's UUID."
  }
}

variable "agent_stream_arn" {
  description = "ARN of the Kinesis stream of agent events."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:", var.agent_stream_arn))
    error_message = "agent_stream_arn must be a Kinesis stream ARN."
  }
}

variable "kms_key_arn" {
  description = "ARN of the pipeline's customer-managed key (agent stream, environment variables, logs)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "powertools_layer_arn" {
  description = "ARN of the AWS Lambda Powertools for Python layer (arm64, matching runtime)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.powertools_layer_arn))
    error_message = "powertools_layer_arn must be a versioned Lambda layer ARN."
  }
}

variable "runtime" {
  description = "Python runtime of the functions."
  type        = string
  default     = "python3.12"

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be python3.11, python3.12 or python3.13."
  }
}

variable "sink" {
  description = "Real-time store the functions write to: timestream or influxdb (no default: the root chooses)."
  type        = string

  validation {
    condition     = contains(["timestream", "influxdb"], var.sink)
    error_message = "sink must be timestream or influxdb."
  }
}

variable "timestream_database" {
  description = "Timestream database name (empty with the influxdb sink)."
  type        = string
  default     = ""

  validation {
    condition     = var.timestream_database == "" || can(regex("^[a-zA-Z0-9_.-]{3,256}$", var.timestream_database))
    error_message = "timestream_database must be empty or a Timestream database name."
  }
}

variable "timestream_region" {
  description = "Region of the Timestream database (empty with the influxdb sink)."
  type        = string
  default     = ""

  validation {
    condition     = var.timestream_region == "" || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.timestream_region))
    error_message = "timestream_region must be empty or a region name such as eu-west-1."
  }
}

variable "timestream_table_arns" {
  description = "Timestream table name -> ARN; each function may write only its own tables (the collector all of them, for their schema seeds)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.timestream_table_arns) : can(regex("^arn:aws[a-z-]*:timestream:", arn))])
    error_message = "timestream_table_arns values must be Timestream table ARNs."
  }
}

variable "influx_url" {
  description = "HTTPS URL of the Timestream for InfluxDB endpoint (influxdb sink only)."
  type        = string
  default     = ""

  validation {
    condition     = var.influx_url == "" || startswith(var.influx_url, "https://")
    error_message = "influx_url must be empty or an https:// URL."
  }
}

variable "influx_database" {
  description = "InfluxDB bucket the functions write to (influxdb sink only)."
  type        = string
  default     = ""

  validation {
    condition     = var.influx_database == "" || can(regex("^[A-Za-z0-9_-]{2,64}$", var.influx_database))
    error_message = "influx_database must be empty or 2-64 letters, digits, hyphens or underscores."
  }
}

variable "influx_secret_arn" {
  description = "ARN of the Secrets Manager secret {\"token\": ...} with the InfluxDB API token (influxdb sink only)."
  type        = string
  default     = ""

  validation {
    condition     = var.influx_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.influx_secret_arn))
    error_message = "influx_secret_arn must be empty or a Secrets Manager ARN."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the functions (influxdb sink only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.subnet_ids : startswith(s, "subnet-")])
    error_message = "subnet_ids must be subnet IDs."
  }
}

variable "security_group_ids" {
  description = "Security groups for the functions (influxdb sink only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.security_group_ids : startswith(s, "sg-")])
    error_message = "security_group_ids must be security group IDs."
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

variable "batch_size" {
  description = "Agent-event records per Lambda invocation."
  type        = number
  default     = 100

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "batch_size must be between 1 and 10000."
  }
}

variable "batching_window_seconds" {
  description = "Seconds the event-source mapping may wait to fill a batch."
  type        = number
  default     = 1

  validation {
    condition     = var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300
    error_message = "batching_window_seconds must be between 0 and 300."
  }
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing agent-event batch before it goes to the on-failure queue."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 10000
    error_message = "maximum_retry_attempts must be between 0 and 10000."
  }
}

variable "maximum_record_age_seconds" {
  description = "Agent events older than this go to the on-failure queue instead of being retried."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_record_age_seconds >= 60 && var.maximum_record_age_seconds <= 604800
    error_message = "maximum_record_age_seconds must be between 60 and 604800."
  }
}

variable "parallelization_factor" {
  description = "Concurrent batches per shard (order is kept per agent by partition key)."
  type        = number
  default     = 1

  validation {
    condition     = var.parallelization_factor >= 1 && var.parallelization_factor <= 10
    error_message = "parallelization_factor must be between 1 and 10."
  }
}

variable "event_retry_attempts" {
  description = "EventBridge retries of a contact event it cannot deliver (invoke throttled or refused) before it goes to the dead-letter queue; function errors are retried by Lambda's asynchronous invocation."
  type        = number
  default     = 8

  validation {
    condition     = var.event_retry_attempts >= 0 && var.event_retry_attempts <= 185
    error_message = "event_retry_attempts must be between 0 and 185."
  }
}

variable "event_max_age_seconds" {
  description = "Longest EventBridge keeps retrying the delivery of a contact event."
  type        = number
  default     = 3600

  validation {
    condition     = var.event_max_age_seconds >= 60 && var.event_max_age_seconds <= 86400
    error_message = "event_max_age_seconds must be between 60 and 86400."
  }
}

variable "collector_schedule" {
  description = "EventBridge Scheduler expression for the collector, e.g. rate(1 minute)."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.collector_schedule))
    error_message = "collector_schedule must be a rate(...) or cron(...) expression."
  }
}

variable "timeout_seconds" {
  description = "Function timeout."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout_seconds >= 3 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 3 and 900."
  }
}

variable "memory_mb" {
  description = "Function memory."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240
    error_message = "memory_mb must be between 128 and 10240."
  }
}

variable "reserved_concurrency" {
  description = "Concurrency reserved for each function, so a burst cannot starve the account's other functions; null leaves them unreserved. Lambda keeps 100 of the account's quota unreserved, so new accounts (quota 10) must leave this null."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrency == null ? true : var.reserved_concurrency >= 1
    error_message = "reserved_concurrency must be null (unreserved) or at least 1."
  }
}

variable "log_retention_days" {
  description = "Days function logs are kept."
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
