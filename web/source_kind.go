package web

// kindField is one known setting or secret of a source kind, for the form.
type kindField struct {
	Name, Label, Help string
	Secret            bool
	Multi             bool // several lines (a PEM certificate)
}

// sourceKind describes a kind on the sources page.
type sourceKind struct {
	Kind   string
	Title  string
	File   bool // fed by an uploaded document
	Fields []kindField
}

// sourceKinds lists the kinds with the settings people usually give; any
// other setting can be given as key=value lines.
var sourceKinds = []sourceKind{
	{Kind: "http", Title: "HTTPS endpoint", Fields: []kindField{
		{Name: "url", Label: "URL", Help: "https://api.example.com"},
		{Name: "http_url", Label: "Plain HTTP URL", Help: "Optional: checks the redirect to HTTPS."},
		{Name: "timeout", Label: "Timeout", Help: "e.g. 10s"},
		{Name: "ca_pem", Label: "Extra CA certificate (PEM)", Help: "Optional: trust a private CA.", Multi: true},
	}},
	{Kind: "postgres", Title: "PostgreSQL database", Fields: []kindField{
		{Name: "host", Label: "Host"},
		{Name: "port", Label: "Port", Help: "5432 by default."},
		{Name: "user", Label: "User", Help: "A read-only monitoring role."},
		{Name: "dbname", Label: "Database"},
		{Name: "sslmode", Label: "SSL mode", Help: "disable, allow, prefer (default), require, verify-ca or verify-full."},
		{Name: "password", Label: "Password", Secret: true},
		{Name: "dsn", Label: "Connection string", Help: "Instead of the fields above: postgres://monitor@db:5432/app.", Secret: true},
	}},
	{Kind: "host", Title: "Host (agent push or local files)", Fields: []kindField{
		{Name: "root", Label: "Root folder", Help: "Optional: an absolute path to read /etc from (agents push instead)."},
		{Name: "hostname", Label: "Host name", Help: "Optional; the agent sends its own."},
	}},
	{Kind: "github", Title: "GitHub organisation", Fields: []kindField{
		{Name: "organization", Label: "Organisation", Help: "Its login, as in github.com/acme."},
		{Name: "api_url", Label: "API URL", Help: "Optional: a GitHub Enterprise Server, such as https://github.example.com."},
		{Name: "max_owners", Label: "Most owners", Help: "5 by default."},
		{Name: "public_repos_allowed", Label: "Repositories allowed to be public", Help: "Optional: names separated by commas."},
		{Name: "approved_outside_collaborators", Label: "Approved outside collaborators", Help: "Optional: logins separated by commas."},
		{Name: "token", Label: "Token", Help: "A read-only fine-grained or classic token; see the README for its permissions.", Secret: true},
	}},
	{Kind: "okta", Title: "Okta organisation", Fields: []kindField{
		{Name: "org_url", Label: "Organisation URL", Help: "https://example.okta.com"},
		{Name: "token", Label: "API token", Help: "Made by a Read-only Administrator.", Secret: true},
	}},
	{Kind: "google-workspace", Title: "Google Workspace", Fields: []kindField{
		{Name: "admin_email", Label: "Administrator to act as", Help: "A Workspace administrator's address; the service account reads as this person (domain-wide delegation)."},
		{Name: "customer", Label: "Customer ID", Help: "Optional: my_customer (the default) reads the administrator's own account."},
		{Name: "api_url", Label: "API URL", Help: "Optional: https://admin.googleapis.com/ by default."},
		{Name: "service_account_json", Label: "Service account key (JSON)", Help: "Its delegation needs only the two read-only scopes in the README.", Secret: true, Multi: true},
	}},
	{Kind: "entra", Title: "Microsoft Entra ID", Fields: []kindField{
		{Name: "tenant_id", Label: "Tenant", Help: "The directory (tenant) ID or its domain, such as contoso.onmicrosoft.com."},
		{Name: "client_id", Label: "Application (client) ID", Help: "Of an app registration granted the read-only Graph permissions in the README."},
		{Name: "graph_url", Label: "Graph URL", Help: "Optional: https://graph.microsoft.com by default; a national cloud's otherwise."},
		{Name: "token_url", Label: "Token URL", Help: "Optional: https://login.microsoftonline.com/TENANT/oauth2/v2.0/token by default."},
		{Name: "client_secret", Label: "Client secret", Help: "The secret's value, not its ID.", Secret: true},
	}},
	{Kind: "aws", Title: "AWS account", Fields: []kindField{
		{Name: "regions", Label: "Regions", Help: "Separated by commas: us-east-1 (the default), eu-west-1. IAM and S3 are read once; the rest in each region."},
		{Name: "assume_roles", Label: "Roles to assume", Help: "Optional: role ARNs in other accounts, separated by commas, each read the same way."},
		{Name: "external_id", Label: "External ID", Help: "Optional: the external ID those roles' trust policies ask for."},
		{Name: "endpoint", Label: "Endpoint", Help: "Optional: one base URL for every service (LocalStack, a private endpoint); AWS's own by default."},
		{Name: "access_key_id", Label: "Access key ID", Help: "Of an IAM user with the read-only policy in the README; leave both keys empty to use the server's own role.", Secret: true},
		{Name: "secret_access_key", Label: "Secret access key", Secret: true},
	}},
	{Kind: "fleet", Title: "Fleet (device posture)", Fields: []kindField{
		{Name: "url", Label: "Fleet URL", Help: "https://fleet.example.com"},
		{Name: "min_os_version", Label: "Oldest OS counted up to date", Help: "Optional, where no Fleet policy says: macOS=15.5, Windows=10.0.26100."},
		{Name: "token", Label: "API token", Help: "Of an API-only user with the Observer role.", Secret: true},
	}},
	{Kind: "terraform", Title: "Terraform (terraform show -json)", File: true},
	{Kind: "k8s", Title: "Kubernetes manifests", File: true},
	{Kind: "prowler", Title: "Prowler report", File: true},
	{Kind: "trivy", Title: "Trivy report", File: true},
	{Kind: "roster", Title: "Identity roster", File: true},
	{Kind: "jamf", Title: "Jamf Pro computers export", File: true, Fields: []kindField{minOSField}},
	{Kind: "intune", Title: "Intune devices export", File: true, Fields: []kindField{minOSField}},
	{Kind: "kandji", Title: "Kandji devices export", File: true, Fields: []kindField{minOSField}},
}

// minOSField is the device sources' one setting.
var minOSField = kindField{Name: "min_os_version", Label: "Oldest OS counted up to date", Help: "Optional: macOS=15.5, Windows=10.0.26100, iOS=18.5."}

func kindOf(kind string) sourceKind {
	for _, k := range sourceKinds {
		if k.Kind == kind {
			return k
		}
	}
	return sourceKind{Kind: kind, Title: kind}
}
