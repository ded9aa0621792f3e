package main

import (
	"encoding/json"
	"fmt"
)

// demoScaleTerraform writes a Terraform plan the collector reads as n
// resources: buckets (every 97th without encryption), databases (every
// 101st unencrypted) and instances, the bulk of a platform team's state.
func demoScaleTerraform(n int) ([]byte, error) {
	type res struct {
		Address string         `json:"address"`
		Mode    string         `json:"mode"`
		Type    string         `json:"type"`
		Name    string         `json:"name"`
		Values  map[string]any `json:"values"`
	}
	list := make([]res, 0, n*5/4)
	for i := 0; i < n; i++ { // one collected resource each
		name := fmt.Sprintf("r%05d", i)
		switch i % 4 {
		case 0, 1:
			list = append(list, res{Address: "aws_s3_bucket." + name, Mode: "managed", Type: "aws_s3_bucket", Name: name,
				Values: map[string]any{"bucket": "nw-" + name, "tags": map[string]string{"owner": "platform"}}})
			if i%97 != 0 { // folded into the bucket by the collector
				list = append(list, res{Address: "aws_s3_bucket_server_side_encryption_configuration." + name, Mode: "managed",
					Type: "aws_s3_bucket_server_side_encryption_configuration", Name: name,
					Values: map[string]any{"bucket": "nw-" + name, "rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]string{"sse_algorithm": "aws:kms"}}}}}})
			}
		case 2:
			list = append(list, res{Address: "aws_db_instance." + name, Mode: "managed", Type: "aws_db_instance", Name: name,
				Values: map[string]any{"identifier": name, "engine": "postgres", "storage_encrypted": i%101 != 2, "publicly_accessible": false,
					"backup_retention_period": 14, "deletion_protection": true, "multi_az": true}})
		default:
			list = append(list, res{Address: "aws_instance." + name, Mode: "managed", Type: "aws_instance", Name: name,
				Values: map[string]any{"ami": "ami-0abc", "instance_type": "t3.small", "metadata_options": []any{map[string]any{"http_tokens": "required"}},
					"root_block_device": []any{map[string]any{"encrypted": true}}}})
		}
	}
	doc := map[string]any{"format_version": "1.2", "terraform_version": "1.9.5",
		"planned_values": map[string]any{"root_module": map[string]any{"resources": list}}}
	return json.Marshal(doc)
}
