# The only provider blocks: modules receive them, the Timestream module through
# `providers = { aws = aws.timestream }`, because Timestream for LiveAnalytics has
# no endpoint in every region (none in eu-west-2).

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "timestream"
  region = var.timestream_region

  default_tags {
    tags = var.tags
  }
}
