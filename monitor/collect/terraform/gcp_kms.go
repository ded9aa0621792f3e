package terraform

import (
	"strconv"
	"strings"
)

// deriveGCPKMS sets on google_kms_crypto_key: purpose (default
// ENCRYPT_DECRYPT, the only purpose Cloud KMS rotates automatically) and
// rotation_days (whole days of rotation_period, "7776000s" being 90; 0
// when the key is never rotated).
func (d *doc) deriveGCPKMS() {
	for _, r := range d.byType["google_kms_crypto_key"] {
		v := r.Values
		setDefault(v, "purpose", "ENCRYPT_DECRYPT")
		days := int64(0)
		if secs, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(str(v, "rotation_period")), "s"), 64); err == nil && secs > 0 {
			days = max(int64(secs/86400), 1)
		}
		v["rotation_days"] = days
	}
}
