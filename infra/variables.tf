variable "name_prefix" {
  description = "Prefix for every resource name; bucket names add the account ID."
  type        = string
  default     = "connect-analytics"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "aws_region" {
  description = "Region of the pipeline, Athena and Grafana (that of the Connect instance)."
  type        = string
  default     = "eu-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-2."
  }
}

variable "timestream_region" {
  description = "Region of Timestream for LiveAnalytics, which has no endpoint in some regions (eu-west-2)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = contains(["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1"], var.timestream_region)
    error_message = "timestream_region must be a region where Timestream for LiveAnalytics exists, e.g. eu-west-1."
  }
}

variable "connect_instance_id" {
  description = "Amazon Connect instance ID (UUID) whose data is ingested."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.connect_instance_id))
    error_message = "connect_instance_id must be the instance's UUID."
  }
}

variable "realtime_store" {
  description = "Real-time store: influxdb (Timestream for InfluxDB, Lambdas in the VPC; the default, for new deployments) or timestream (LiveAnalytics, closed to new customers since 2025-06-20; existing deployments that relied on the old default must set it)."
  type        = string
  default     = "influxdb"

  validation {
    condition     = contains(["timestream", "influxdb"], var.realtime_store)
    error_message = "realtime_store must be timestream or influxdb."
  }
}

variable "allowed_cidrs" {
  description = "Networks the Grafana load balancer admits (with grafana_certificate_arn; without one nothing is admitted from outside); never 0.0.0.0/0."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for c in var.allowed_cidrs : try(can(regex("^[0-9.]+/[0-9]+$", c)) && cidrsubnet(c, 0, 0) == c && tonumber(split("/", c)[1]) > 0, false)])
    error_message = "allowed_cidrs must be a non-empty list of IPv4 networks written as their network address, e.g. 203.0.113.0/24; never a /0 such as 0.0.0.0/0 (the whole internet), and no IPv6 (the rules are cidr_ipv4)."
  }
}

variable "grafana_certificate_arn" {
  description = "ACM certificate for HTTPS in front of Grafana (a load balancer admitting allowed_cidrs, HTTP redirected); empty: no ingress from outside, Grafana only through a Session Manager port forward."
  type        = string
  default     = ""

  validation {
    condition     = var.grafana_certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:", var.grafana_certificate_arn))
    error_message = "grafana_certificate_arn must be empty or an ACM certificate ARN."
  }
}

variable "grafana_domain_name" {
  description = "Host name of Grafana behind the certificate."
  type        = string
  default     = "grafana.example.com"

  validation {
    condition     = can(regex("^[a-z0-9.-]+$", var.grafana_domain_name))
    error_message = "grafana_domain_name must be a host name."
  }
}

variable "grafana_version" {
  description = "Grafana version installed on the host."
  type        = string
  default     = "12.0.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.grafana_version))
    error_message = "grafana_version must be a full version such as 12.0.2."
  }
}

variable "grafana_provisioning_path" {
  description = "Provisioning directory on the host; must match dash.yaml's grafana_provisioning_path."
  type        = string
  default     = "/etc/grafana/provisioning"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/_.-]+$", var.grafana_provisioning_path))
    error_message = "grafana_provisioning_path must be an absolute path."
  }
}

variable "powertools_layer_arn" {
  description = "ARN of the AWS Lambda Powertools for Python layer (arm64) in aws_region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.powertools_layer_arn))
    error_message = "powertools_layer_arn must be a versioned Lambda layer ARN."
  }
}

variable "timestream_database" {
  description = "Timestream database name (dash.yaml timestream.database)."
  type        = string
  default     = "connect-analytics"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,256}$", var.timestream_database))
    error_message = "timestream_database must be 3-256 letters, digits, dots, hyphens or underscores."
  }
}

variable "athena_database" {
  description = "Glue/Athena database name (dash.yaml athena.database)."
  type        = string
  default     = "connect_analytics"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,254}$", var.athena_database))
    error_message = "athena_database must be lower-case letters, digits and underscores, starting with a letter."
  }
}

variable "stream_mode" {
  description = "Kinesis capacity mode: ON_DEMAND or PROVISIONED."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "shard_count" {
  description = "Shards per stream when stream_mode is PROVISIONED."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 500
    error_message = "shard_count must be between 1 and 500."
  }
}

variable "stream_retention_hours" {
  description = "Hours Kinesis keeps records."
  type        = number
  default     = 48

  validation {
    condition     = var.stream_retention_hours >= 24 && var.stream_retention_hours <= 8760
    error_message = "stream_retention_hours must be between 24 and 8760."
  }
}

variable "ctr_output_format" {
  description = "Contact records in S3: parquet (converted against the Glue table) or json (newline-delimited)."
  type        = string
  default     = "parquet"

  validation {
    condition     = contains(["parquet", "json"], var.ctr_output_format)
    error_message = "ctr_output_format must be parquet or json."
  }
}

variable "ctr_retention_days" {
  description = "Days contact records are kept in S3."
  type        = number
  default     = 1095

  validation {
    condition     = var.ctr_retention_days >= 30
    error_message = "ctr_retention_days must be at least 30."
  }
}

variable "athena_bytes_scanned_cutoff" {
  description = "Bytes a single Athena query may scan before it is cancelled."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.athena_bytes_scanned_cutoff >= 10485760
    error_message = "athena_bytes_scanned_cutoff must be at least 10485760 (10 MB)."
  }
}

variable "timestream_memory_retention_hours" {
  description = "Hours in the Timestream memory store."
  type        = number
  default     = 24

  validation {
    condition     = var.timestream_memory_retention_hours >= 1 && var.timestream_memory_retention_hours <= 8766
    error_message = "timestream_memory_retention_hours must be between 1 and 8766."
  }
}

variable "timestream_magnetic_retention_days" {
  description = "Days in the Timestream magnetic store."
  type        = number
  default     = 365

  validation {
    condition     = var.timestream_magnetic_retention_days >= 1 && var.timestream_magnetic_retention_days <= 73000
    error_message = "timestream_magnetic_retention_days must be between 1 and 73000."
  }
}

variable "influxdb_instance_type" {
  description = "Timestream for InfluxDB instance class (realtime_store = influxdb)."
  type        = string
  default     = "db.influx.medium"

  validation {
    condition     = can(regex("^db\\.influx\\.[a-z0-9]+$", var.influxdb_instance_type))
    error_message = "influxdb_instance_type must be a db.influx.* class."
  }
}

variable "agent_batch_size" {
  description = "Agent-event records per Lambda invocation."
  type        = number
  default     = 100

  validation {
    condition     = var.agent_batch_size >= 1 && var.agent_batch_size <= 10000
    error_message = "agent_batch_size must be between 1 and 10000."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Concurrency reserved for each ingest function; null (default) leaves them unreserved, as accounts whose concurrency quota is 10 require."
  type        = number
  default     = null

  validation {
    condition     = var.lambda_reserved_concurrency == null ? true : var.lambda_reserved_concurrency >= 1
    error_message = "lambda_reserved_concurrency must be null (unreserved) or at least 1."
  }
}

variable "collector_schedule" {
  description = "Schedule of the metrics collector."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.collector_schedule))
    error_message = "collector_schedule must be a rate(...) or cron(...) expression."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC, a /16 (Grafana, InfluxDB, in-VPC Lambdas)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = try(can(regex("^[0-9.]+/16$", var.vpc_cidr)) && cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr, false)
    error_message = "vpc_cidr must be an IPv4 /16 written as its network address, e.g. 10.40.0.0/16: AWS allows no larger VPC, and the subnets are /24s cut from it."
  }
}

variable "access_log_bucket" {
  description = "Bucket in aws_region that receives S3 server access logs of the CTR, Athena results and Grafana bundle buckets (it must grant logging.s3.amazonaws.com s3:PutObject); empty disables them."
  type        = string
  default     = ""

  validation {
    condition     = var.access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be empty or a bucket name."
  }
}

variable "timestream_access_log_bucket" {
  description = "Bucket in timestream_region for S3 server access logs of the Timestream rejected-data bucket (S3 logs only to a bucket in the same region); empty disables them."
  type        = string
  default     = ""

  validation {
    condition     = var.timestream_access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.timestream_access_log_bucket))
    error_message = "timestream_access_log_bucket must be empty or a bucket name."
  }
}

variable "tags" {
  description = "Tags on every resource (provider default_tags)."
  type        = map(string)
  default     = { project = "connect-analytics" }

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) <= 128])
    error_message = "Tag keys must be at most 128 characters."
  }
}

variable "alarm_email_addresses" {
  description = "E-mail addresses notified by the pipeline alarms (SNS; each address confirms its subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }
}

variable "alarm_https_endpoints" {
  description = "HTTPS endpoints (a chat or paging webhook) notified by the pipeline alarms; each must confirm its subscription."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.alarm_https_endpoints : startswith(u, "https://")])
    error_message = "alarm_https_endpoints must be https:// URLs."
  }
}

variable "alarm_thresholds" {
  description = "Alarm thresholds that differ from modules/alarms' defaults (listed in README.md), by name, e.g. { iterator_age_seconds = 300 }."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.alarm_thresholds) : contains(["alarm_period_seconds", "lambda_errors", "lambda_throttles", "lambda_duration_timeout_percent", "dead_letter_messages", "iterator_age_seconds", "kinesis_write_throttles", "firehose_freshness_seconds", "firehose_delivery_success_ratio", "firehose_error_records", "eventbridge_failed_invocations", "collector_min_runs", "rejected_records", "retried_inputs", "timestream_errors", "athena_cutoff_percent"], k)])
    error_message = "alarm_thresholds keys must be thresholds of modules/alarms (see infra/README.md, Alarms)."
  }
}
