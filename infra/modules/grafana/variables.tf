variable "name_prefix" {
  description = "Prefix for every resource name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "role_name" {
  description = "Name of the instance role (the root names it so the Timestream key policy can list it)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be a valid IAM role name."
  }
}

variable "vpc_id" {
  description = "VPC of the host (and load balancer)."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC ID."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets of the load balancer (two AZs; used only with certificate_arn)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 1 && alltrue([for s in var.public_subnet_ids : startswith(s, "subnet-")])
    error_message = "public_subnet_ids must be at least one subnet ID."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets; the host runs in the first, with no public address."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 1 && alltrue([for s in var.private_subnet_ids : startswith(s, "subnet-")])
    error_message = "private_subnet_ids must be at least one subnet ID."
  }
}

variable "allowed_cidrs" {
  description = "Networks the HTTPS load balancer admits (with certificate_arn; without one nothing is admitted from outside); never 0.0.0.0/0."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for c in var.allowed_cidrs : try(can(regex("^[0-9.]+/[0-9]+$", c)) && cidrsubnet(c, 0, 0) == c && tonumber(split("/", c)[1]) > 0, false)])
    error_message = "allowed_cidrs must be a non-empty list of IPv4 networks written as their network address, e.g. 203.0.113.0/24; never a /0 such as 0.0.0.0/0 (the whole internet), and no IPv6 (the rules are cidr_ipv4)."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on a load balancer in front of Grafana; empty: no ingress from outside, Grafana only through a Session Manager port forward."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN."
  }
}

variable "domain_name" {
  description = "Host name the certificate covers (Grafana's root URL); used only with certificate_arn."
  type        = string
  default     = "grafana.example.com"

  validation {
    condition     = can(regex("^[a-z0-9.-]+$", var.domain_name))
    error_message = "domain_name must be a host name."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
  default     = true

  validation {
    condition     = var.deletion_protection == true || var.deletion_protection == false
    error_message = "deletion_protection must be a boolean."
  }
}

variable "grafana_port" {
  description = "Port Grafana listens on."
  type        = number
  default     = 3000

  validation {
    condition     = var.grafana_port >= 1024 && var.grafana_port <= 65535
    error_message = "grafana_port must be an unprivileged port (1024-65535)."
  }
}

variable "grafana_version" {
  description = "Grafana package version installed on the host (pinned, never latest)."
  type        = string
  default     = "12.0.2"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.grafana_version))
    error_message = "grafana_version must be a full version such as 12.0.2."
  }
}

variable "plugins" {
  description = "Grafana plugin ids installed at boot (the Timestream and Athena datasources)."
  type        = list(string)
  default     = ["grafana-timestream-datasource", "grafana-athena-datasource"]

  validation {
    condition     = alltrue([for p in var.plugins : can(regex("^[a-z0-9-]+$", p))])
    error_message = "plugins must be plugin ids (lower-case letters, digits, hyphens)."
  }
}

variable "grafana_provisioning_path" {
  description = "Where Grafana reads provisioning on the host (dash.yaml grafana_provisioning_path)."
  type        = string
  default     = "/etc/grafana/provisioning"

  validation {
    condition     = can(regex("^/[A-Za-z0-9/_.-]+$", var.grafana_provisioning_path))
    error_message = "grafana_provisioning_path must be an absolute path."
  }
}

variable "provisioning_dir" {
  description = "Local provisioning/ directory written by `dash build`, uploaded to S3."
  type        = string

  validation {
    condition     = length(var.provisioning_dir) > 0
    error_message = "provisioning_dir must be a path."
  }
}

variable "bundle_bucket_name" {
  description = "Globally unique name of the bucket holding the provisioning bundle."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bundle_bucket_name))
    error_message = "bundle_bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "sync_interval_minutes" {
  description = "Minutes between the host's syncs of the provisioning bundle."
  type        = number
  default     = 5

  validation {
    condition     = var.sync_interval_minutes >= 1 && var.sync_interval_minutes <= 1440
    error_message = "sync_interval_minutes must be between 1 and 1440."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the Grafana host."
  type        = string
  default     = "t3.small"

  validation {
    condition     = can(regex("^[a-z0-9]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t3.small."
  }
}

variable "ami_ssm_parameter" {
  description = "SSM parameter naming the AMI (Amazon Linux 2023: SSM agent and AWS CLI preinstalled)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

  validation {
    condition     = startswith(var.ami_ssm_parameter, "/")
    error_message = "ami_ssm_parameter must be an SSM parameter path."
  }
}

variable "root_volume_gib" {
  description = "Size of the encrypted root volume."
  type        = number
  default     = 20

  validation {
    condition     = var.root_volume_gib >= 8 && var.root_volume_gib <= 1024
    error_message = "root_volume_gib must be between 8 and 1024."
  }
}

variable "kms_key_arn" {
  description = "ARN of the pipeline's customer-managed key (volume, secret, bundle, CTR and results buckets)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "athena_workgroup_arn" {
  description = "ARN of the Athena workgroup the dashboards query through."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:athena:", var.athena_workgroup_arn))
    error_message = "athena_workgroup_arn must be an Athena workgroup ARN."
  }
}

variable "athena_results_bucket_arn" {
  description = "ARN of the Athena results bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::", var.athena_results_bucket_arn))
    error_message = "athena_results_bucket_arn must be an S3 bucket ARN."
  }
}

variable "glue_database_name" {
  description = "Glue database of the contact records."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]*$", var.glue_database_name))
    error_message = "glue_database_name must be a Glue database name."
  }
}

variable "glue_table_names" {
  description = "Glue tables the dashboards query."
  type        = list(string)

  validation {
    condition     = length(var.glue_table_names) > 0
    error_message = "glue_table_names must name at least one table."
  }
}

variable "ctr_bucket_arn" {
  description = "ARN of the contact record bucket Athena reads."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::", var.ctr_bucket_arn))
    error_message = "ctr_bucket_arn must be an S3 bucket ARN."
  }
}

variable "timestream_database_arn" {
  description = "ARN of the Timestream database the dashboards query (empty with InfluxDB)."
  type        = string
  default     = ""

  validation {
    condition     = var.timestream_database_arn == "" || can(regex("^arn:aws[a-z-]*:timestream:", var.timestream_database_arn))
    error_message = "timestream_database_arn must be empty or a Timestream database ARN."
  }
}

variable "timestream_table_arns" {
  description = "ARNs of the Timestream tables the dashboards query."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.timestream_table_arns : can(regex("^arn:aws[a-z-]*:timestream:", a))])
    error_message = "timestream_table_arns must be Timestream table ARNs."
  }
}

variable "influxdb_token_secret_arn" {
  description = "ARN of the Secrets Manager secret {\"token\": ...} with InfluxDB's read-only token for the InfluxDB datasource (empty with Timestream); the host reads it into Grafana's environment at boot and on every sync."
  type        = string
  default     = ""

  validation {
    condition     = var.influxdb_token_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.influxdb_token_secret_arn))
    error_message = "influxdb_token_secret_arn must be empty or a Secrets Manager secret ARN."
  }
}

variable "access_log_bucket" {
  description = "Bucket for S3 server access logs of the bundle bucket; empty disables them."
  type        = string
  default     = ""

  validation {
    condition     = var.access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be empty or a bucket name."
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
