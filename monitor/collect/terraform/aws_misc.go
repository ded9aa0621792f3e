package terraform

// deriveDatabases fills the RDS attributes checks read, with the
// provider's defaults where a plan leaves them unknown, and sets
// is_replica on instances that copy another database.
func (d *doc) deriveDatabases() {
	for _, r := range d.byType["aws_db_instance"] {
		v := r.Values
		setDefault(v, "storage_encrypted", false)
		setDefault(v, "backup_retention_period", int64(0))
		setDefault(v, "publicly_accessible", false)
		setDefault(v, "deletion_protection", false)
		setDefault(v, "iam_database_authentication_enabled", false)
		v["is_replica"] = d.configured(r, "replicate_source_db")
	}
	for _, r := range d.byType["aws_rds_cluster"] {
		v := r.Values
		setDefault(v, "storage_encrypted", false)
		setDefault(v, "backup_retention_period", int64(1))
		setDefault(v, "deletion_protection", false)
		setDefault(v, "iam_database_authentication_enabled", false)
	}
}

// deriveAWSMisc covers CloudTrail (kms_encrypted), KMS keys, the account
// password policy, EBS volumes and instances (imdsv2_required,
// root_volume_encrypted), with defaults for what a plan leaves unknown.
func (d *doc) deriveAWSMisc() {
	for _, r := range d.byType["aws_cloudtrail"] {
		v := r.Values
		setDefault(v, "is_multi_region_trail", false)
		setDefault(v, "enable_log_file_validation", false)
		setDefault(v, "enable_logging", true)
		v["kms_encrypted"] = d.configured(r, "kms_key_id")
	}
	for _, r := range d.byType["aws_kms_key"] {
		setDefault(r.Values, "enable_key_rotation", false)
		setDefault(r.Values, "customer_master_key_spec", "SYMMETRIC_DEFAULT")
	}
	for _, r := range d.byType["aws_iam_account_password_policy"] {
		v := r.Values
		setDefault(v, "minimum_password_length", int64(6))
		setDefault(v, "password_reuse_prevention", int64(0))
		setDefault(v, "max_password_age", int64(0))
		for _, k := range []string{"require_lowercase_characters", "require_uppercase_characters", "require_numbers", "require_symbols"} {
			setDefault(v, k, false)
		}
	}
	byDefault := false
	for _, r := range d.byType["aws_ebs_encryption_by_default"] {
		setDefault(r.Values, "enabled", true)
		byDefault = byDefault || boolean(r.Values, "enabled", true)
	}
	for _, r := range d.byType["aws_ebs_volume"] {
		setDefault(r.Values, "encrypted", false)
	}
	for _, r := range d.byType["aws_instance"] {
		v := r.Values
		v["imdsv2_required"] = str(block(v, "metadata_options"), "http_tokens") == "required"
		v["root_volume_encrypted"] = byDefault || boolean(block(v, "root_block_device"), "encrypted", false)
	}
}
