package terraform

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A plan of Azure resources (azurerm 3.x and 4.x argument names side by
// side, a child module, rules joined to their group by name).
func TestAzurePlan(t *testing.T) {
	got := collect(t, "testdata/plan_azure.json")
	want := []string{
		"tf-azure-keyvault-not-public module.sandbox.azurerm_key_vault.sandbox",
		"tf-azure-keyvault-purge-protection module.sandbox.azurerm_key_vault.sandbox",
		"tf-azure-nsg-no-open-admin-ports azurerm_network_security_group.app",
		"tf-azure-nsg-no-open-admin-ports azurerm_network_security_group.web",
		"tf-azure-nsg-rule-no-open-admin-ports azurerm_network_security_rule.app_remote",
		"tf-azure-sql-auditing azurerm_mssql_server.reporting",
		"tf-azure-sql-entra-admin azurerm_mssql_server.reporting",
		"tf-azure-sql-min-tls azurerm_mssql_server.reporting",
		"tf-azure-sql-no-public-network azurerm_mssql_server.reporting",
		"tf-azure-storage-https-only azurerm_storage_account.legacy",
		"tf-azure-storage-infrastructure-encryption azurerm_storage_account.legacy",
		"tf-azure-storage-min-tls azurerm_storage_account.legacy",
		"tf-azure-storage-no-public-blobs azurerm_storage_account.legacy",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
	for id, kv := range map[string]map[string]any{
		"azurerm_network_security_group.web":       {"open_admin_ports": []any{int64(22)}, "open_all_ports": false},
		"azurerm_network_security_group.app":       {"open_admin_ports": []any{int64(3389)}},
		"azurerm_network_security_rule.app_db":     {"open_admin_ports": []any{}},
		"azurerm_network_security_rule.app_deny":   {"open_admin_ports": []any{}},
		"azurerm_mssql_server.sql":                 {"auditing": true, "azuread_admin": true, "azuread_only": true},
		"azurerm_storage_account.legacy":           {"min_tls": "1.0", "https_only": false},
		"module.sandbox.azurerm_key_vault.locked":  {"public_access": false, "soft_delete": true, "soft_delete_days": int64(30)},
		"module.sandbox.azurerm_key_vault.sandbox": {"public_access": true},
		"azurerm_key_vault.main":                   {"public_access": false, "purge_protection": true},
	} {
		for k, want := range kv {
			if g := got[id].Attrs[k]; !equal(g, want) {
				t.Errorf("%s %s = %#v, want %#v", id, k, g, want)
			}
		}
	}
	for id, r := range got {
		for _, k := range []string{"primary_access_key", "administrator_login_password", "storage_account_access_key"} {
			if _, ok := r.Attrs[k]; ok {
				t.Errorf("%s keeps %s", id, k)
			}
		}
	}
	data, err := os.ReadFile("testdata/plan_azure.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := collectNotes(t, data); len(n) != 0 {
		t.Errorf("notes on a plan with judged resources: %q", n)
	}
}

// An Azure rule opens what it allows from anywhere, in any spelling.
func TestAzureRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    map[string]any
		want []int64
	}{
		{"internet tag", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_address_prefix": "Internet", "destination_port_range": "22"}, []int64{22}},
		{"any, lower case", map[string]any{"direction": "inbound", "access": "allow", "protocol": "TCP", "source_address_prefix": "Any", "destination_port_range": "3389"}, []int64{3389}},
		{"prefix list", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "*", "source_address_prefixes": []any{"10.0.0.0/8", "0.0.0.0/0"}, "destination_port_ranges": []any{"1433", "8080-8090"}}, []int64{1433}},
		{"every port", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "*"}, adminPorts},
		{"udp", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "Udp", "source_address_prefix": "*", "destination_port_range": "*"}, nil},
		{"outbound", map[string]any{"direction": "Outbound", "access": "Allow", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "*"}, nil},
		{"deny", map[string]any{"direction": "Inbound", "access": "Deny", "protocol": "*", "source_address_prefix": "*", "destination_port_range": "22"}, nil},
		{"vnet only", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_address_prefix": "VirtualNetwork", "destination_port_range": "22"}, nil},
		{"bad range", map[string]any{"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_address_prefix": "*", "destination_port_range": "ssh"}, nil},
	} {
		var got []int64
		for _, rl := range azureRules(tc.v) {
			got = append(got, rl.openPorts()...)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
