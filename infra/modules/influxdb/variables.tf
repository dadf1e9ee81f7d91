variable "name_prefix" {
  description = "Prefix for every resource name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the instance and the Lambdas."
  type        = string

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC ID."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the instance (at least two AZs for multi-AZ)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1 && alltrue([for s in var.subnet_ids : startswith(s, "subnet-")])
    error_message = "subnet_ids must be at least one subnet ID."
  }
}

variable "grafana_security_group_id" {
  description = "Security group of the Grafana host, allowed to reach the InfluxDB API (a datasource, the operator's port forward)."
  type        = string

  validation {
    condition     = startswith(var.grafana_security_group_id, "sg-")
    error_message = "grafana_security_group_id must be a security group ID."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the credentials secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "instance_type" {
  description = "Timestream for InfluxDB instance class."
  type        = string
  default     = "db.influx.medium"

  validation {
    condition     = can(regex("^db\\.influx\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must be a db.influx.* class."
  }
}

variable "allocated_storage_gib" {
  description = "Storage in GiB (20-16384)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage_gib >= 20 && var.allocated_storage_gib <= 16384
    error_message = "allocated_storage_gib must be between 20 and 16384."
  }
}

variable "multi_az" {
  description = "Run a standby in a second AZ."
  type        = bool
  default     = false

  validation {
    condition     = var.multi_az == true || var.multi_az == false
    error_message = "multi_az must be a boolean."
  }
}

variable "username" {
  description = "InfluxDB initial user."
  type        = string
  default     = "connect_ingest"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{2,63}$", var.username))
    error_message = "username must be 3-64 letters, digits or underscores, starting with a letter."
  }
}

variable "organization" {
  description = "InfluxDB organization."
  type        = string
  default     = "connect"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.organization))
    error_message = "organization must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "bucket" {
  description = "InfluxDB bucket (the database the Lambdas write to)."
  type        = string
  default     = "connect_realtime"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{2,64}$", var.bucket))
    error_message = "bucket must be 2-64 letters, digits, hyphens or underscores."
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
