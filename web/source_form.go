package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// parseKV reads "key=value" lines.
func parseKV(field, text string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, assay.Invalid(field, "Line %d: write key=value.", i+1)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}

// sourceForm reads the add/edit form: known fields of the kind
// ("set_<name>", "secret_<name>") and free key=value lines.
func sourceForm(r *http.Request, kind string) (assay.Source, map[string]string, error) {
	f := r.PostForm
	settings, err := parseKV("settings", f.Get("settings"))
	if err != nil {
		return assay.Source{}, nil, err
	}
	secrets, err := parseKV("secrets", f.Get("secrets"))
	if err != nil {
		return assay.Source{}, nil, err
	}
	for _, fl := range kindOf(kind).Fields {
		if fl.Secret {
			if v := strings.TrimSpace(f.Get("secret_" + fl.Name)); v != "" {
				secrets[fl.Name] = v
			}
		} else if v := strings.TrimSpace(f.Get("set_" + fl.Name)); v != "" {
			settings[fl.Name] = v
		}
	}
	src := assay.Source{Name: f.Get("name"), Kind: kind, Settings: settings, Enabled: f.Get("enabled") != "off"}
	if v := strings.TrimSpace(f.Get("interval")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return src, nil, assay.Invalid("interval_minutes", "The interval is a number of minutes.")
		}
		src.IntervalMinutes = n
	}
	return src, secrets, nil
}
