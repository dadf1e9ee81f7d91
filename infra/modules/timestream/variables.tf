variable "database_name" {
  description = "Timestream database name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{3,256}$", var.database_name))
    error_message = "database_name must be 3-256 letters, digits, dots, hyphens or underscores."
  }
}

variable "tables" {
  description = "Timestream tables by name, from infra/generated/datamodel.json (timestream_tables)."
  type = map(object({
    name         = string
    description  = string
    dimensions   = list(string)
    measure_name = string
    measures     = list(object({ name = string, type = string }))
  }))

  validation {
    condition     = length(var.tables) > 0 && alltrue([for k, t in var.tables : k == t.name])
    error_message = "tables must be non-empty and keyed by each table's own name."
  }
}

variable "memory_retention_hours" {
  description = "Hours records stay in the memory store (fast queries, late writes accepted)."
  type        = number
  default     = 24

  validation {
    condition     = var.memory_retention_hours >= 1 && var.memory_retention_hours <= 8766
    error_message = "memory_retention_hours must be between 1 and 8766."
  }
}

variable "magnetic_retention_days" {
  description = "Days records stay in the magnetic store before deletion."
  type        = number
  default     = 365

  validation {
    condition     = var.magnetic_retention_days >= 1 && var.magnetic_retention_days <= 73000
    error_message = "magnetic_retention_days must be between 1 and 73000."
  }
}

variable "key_user_role_arns" {
  description = "ARNs of the roles (writers and readers) allowed to use the database's KMS key through Timestream and S3."
  type        = list(string)

  validation {
    condition     = length(var.key_user_role_arns) > 0 && alltrue([for a in var.key_user_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "key_user_role_arns must be a non-empty list of IAM role ARNs (never a wildcard)."
  }
}

variable "rejected_bucket_name" {
  description = "Globally unique name of the bucket for records the magnetic store rejects (in the Timestream region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.rejected_bucket_name))
    error_message = "rejected_bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "rejected_retention_days" {
  description = "Days rejected-record reports are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.rejected_retention_days >= 1
    error_message = "rejected_retention_days must be at least 1."
  }
}

variable "access_log_bucket" {
  description = "Bucket (in the Timestream region) for S3 server access logs; empty disables them."
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
