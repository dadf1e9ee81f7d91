variable "name_prefix" {
  description = "Prefix for every resource name, e.g. connect-analytics."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "VPC CIDR (a /16 is split into /24 subnets)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = try(can(regex("^[0-9.]+/16$", var.cidr_block)) && cidrsubnet(var.cidr_block, 0, 0) == var.cidr_block, false)
    error_message = "cidr_block must be an IPv4 /16 written as its network address, e.g. 10.40.0.0/16: AWS allows no larger VPC, and the subnets are /24s cut from it."
  }
}

variable "availability_zone_suffixes" {
  description = "The two Availability Zones to use, as suffixes of the region name (a pinned set, never whatever AWS adds)."
  type        = list(string)
  default     = ["a", "b"]

  validation {
    condition     = length(var.availability_zone_suffixes) == 2 && alltrue([for s in var.availability_zone_suffixes : can(regex("^[a-z]$", s))])
    error_message = "availability_zone_suffixes must be two single letters, e.g. [\"a\", \"b\"]."
  }
}

variable "enable_nat_gateway" {
  description = "Give the private subnets outbound internet through a NAT gateway (needed by in-VPC Lambdas and a private Grafana host)."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_nat_gateway == true || var.enable_nat_gateway == false
    error_message = "enable_nat_gateway must be a boolean."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key for the flow-log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "flow_log_retention_days" {
  description = "Days VPC flow logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a CloudWatch Logs retention value, e.g. 365."
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
