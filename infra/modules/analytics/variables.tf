variable "workgroup_name" {
  description = "Athena workgroup name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9._-]{1,128}$", var.workgroup_name))
    error_message = "workgroup_name must be 1-128 letters, digits, dots, hyphens or underscores."
  }
}

variable "results_bucket_name" {
  description = "Globally unique name of the bucket for query results."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.results_bucket_name))
    error_message = "results_bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "results_prefix" {
  description = "Key prefix for query results inside the results bucket."
  type        = string
  default     = "grafana"

  validation {
    condition     = can(regex("^[a-z0-9_-]+(/[a-z0-9_-]+)*$", var.results_prefix))
    error_message = "results_prefix must be a relative key prefix without leading or trailing slashes."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts query results."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Athena cancels a query that scans more than this many bytes (at least 10 MB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "bytes_scanned_cutoff_per_query must be at least 10485760 (10 MB), Athena's minimum."
  }
}

variable "results_retention_days" {
  description = "Days query results are kept before expiry."
  type        = number
  default     = 7

  validation {
    condition     = var.results_retention_days >= 1
    error_message = "results_retention_days must be at least 1."
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

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) <= 128])
    error_message = "Tag keys must be at most 128 characters."
  }
}
