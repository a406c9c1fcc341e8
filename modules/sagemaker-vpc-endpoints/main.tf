resource "aws_security_group" "this" {
  name        = "${var.name}-vpc-endpoints"
  description = "HTTPS from SageMaker workloads to the VPC interface endpoints"
  vpc_id      = var.network.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-vpc-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = toset(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "HTTPS from ${each.value}"

  tags = var.tags
}

resource "aws_vpc_endpoint" "this" {
  for_each = toset(var.services)

  vpc_id            = var.network.vpc_id
  service_name      = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type = each.value == "s3" ? "Gateway" : "Interface"

  route_table_ids     = each.value == "s3" ? var.network.route_table_ids : null
  subnet_ids          = each.value == "s3" ? null : var.network.subnet_ids
  security_group_ids  = each.value == "s3" ? null : [aws_security_group.this.id]
  private_dns_enabled = each.value == "s3" ? null : true

  tags = merge(var.tags, { Name = "${var.name}-${each.value}" })
}
