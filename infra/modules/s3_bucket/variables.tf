variable "bucket_name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits, dots or hyphens."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every object."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "expiration_days" {
  description = "Days after which current objects expire; null keeps them."
  type        = number
  default     = null

  validation {
    condition     = var.expiration_days == null ? true : var.expiration_days >= 1
    error_message = "expiration_days must be at least 1 or null."
  }
}

variable "infrequent_access_after_days" {
  description = "Days after which objects move to STANDARD_IA (at least 30); null keeps them in STANDARD."
  type        = number
  default     = null

  validation {
    condition     = var.infrequent_access_after_days == null ? true : var.infrequent_access_after_days >= 30
    error_message = "infrequent_access_after_days must be at least 30 or null."
  }
}

variable "noncurrent_version_days" {
  description = "Days after which superseded object versions are deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "access_log_bucket" {
  description = "Bucket that receives S3 server access logs; empty disables access logging."
  type        = string
  default     = ""

  validation {
    condition     = var.access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be empty or a bucket name."
  }
}

variable "extra_policy_json" {
  description = "Further bucket-policy statements (a JSON policy document) merged with the TLS-only statement."
  type        = string
  default     = ""

  validation {
    condition     = var.extra_policy_json == "" || can(jsondecode(var.extra_policy_json))
    error_message = "extra_policy_json must be empty or a JSON policy document."
  }
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a bucket that still holds objects."
  type        = bool
  default     = false

  validation {
    condition     = var.force_destroy == true || var.force_destroy == false
    error_message = "force_destroy must be a boolean."
  }
}

variable "tags" {
  description = "Tags for the bucket."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.tags) : length(k) <= 128])
    error_message = "Tag keys must be at most 128 characters."
  }
}
