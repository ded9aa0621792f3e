package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// showDoc is the part of `terraform show -json` output the collector reads.
type showDoc struct {
	FormatVersion    string          `json:"format_version"`
	TerraformVersion string          `json:"terraform_version"`
	PlannedValues    *valuesDoc      `json:"planned_values"`
	Values           *valuesDoc      `json:"values"`
	ResourceChanges  []changeDoc     `json:"resource_changes"`
	Configuration    *configDoc      `json:"configuration"`
	RawVersion       json.RawMessage `json:"version"`   // a raw .tfstate has these two
	RawResources     json.RawMessage `json:"resources"` // instead of values
}

type valuesDoc struct {
	RootModule *moduleDoc `json:"root_module"`
}

type moduleDoc struct {
	Address      string        `json:"address"`
	Resources    []resourceDoc `json:"resources"`
	ChildModules []moduleDoc   `json:"child_modules"`
}

type resourceDoc struct {
	Address         string         `json:"address"`
	Mode            string         `json:"mode"`
	Type            string         `json:"type"`
	Name            string         `json:"name"`
	Index           any            `json:"index"`
	Values          map[string]any `json:"values"`
	SensitiveValues map[string]any `json:"sensitive_values"`
}

// changeDoc is one entry of a plan's resource_changes.
type changeDoc struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Index         any    `json:"index"`
	Change        struct {
		Actions        []string       `json:"actions"`
		After          map[string]any `json:"after"`
		AfterUnknown   any            `json:"after_unknown"`
		AfterSensitive any            `json:"after_sensitive"`
	} `json:"change"`
}

type configDoc struct {
	RootModule *configModule `json:"root_module"`
}

type configModule struct {
	Resources   []configResource      `json:"resources"`
	ModuleCalls map[string]moduleCall `json:"module_calls"`
}

type moduleCall struct {
	Module *configModule `json:"module"`
}

type configResource struct {
	Address     string                     `json:"address"`
	Expressions map[string]json.RawMessage `json:"expressions"`
}

// resource is one managed resource instance of the document.
type resource struct {
	Address    string
	Type       string
	Index      any
	Module     string // configuration path of its module: "" or "module.net"
	ConfigAddr string // Module + type.name, without instance keys
	Values     map[string]any
}

// doc is a loaded document: its resources and what the configuration says
// each resource's arguments refer to.
type doc struct {
	resources []*resource
	byType    map[string][]*resource
	byConfig  map[string][]*resource
	exprs     map[string]map[string]json.RawMessage // config address -> argument -> expression
	changes   changes                               // what a plan says of its changes (changes.go)
	judging                                         // the clock and the run's notes (notes.go)
}

func load(data []byte) (*doc, error) {
	data, err := monitor.Text(data)
	if err != nil {
		return nil, err
	}
	var sd showDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&sd); err != nil {
		return nil, jsonError(data, err)
	}
	if sd.FormatVersion == "" {
		if len(sd.RawVersion) > 0 && len(sd.RawResources) > 0 {
			return nil, assay.Invalid("input", "this is a raw terraform.tfstate file; upload the output of `terraform show -json` instead")
		}
		return nil, assay.Invalid("input", "not `terraform show -json` output: format_version is missing")
	}
	if !strings.HasPrefix(sd.FormatVersion, "1.") && !strings.HasPrefix(sd.FormatVersion, "0.") {
		return nil, assay.Invalid("input", "unsupported format_version %q (expected 1.x)", sd.FormatVersion)
	}
	d := &doc{byType: map[string][]*resource{}, byConfig: map[string][]*resource{}, exprs: map[string]map[string]json.RawMessage{}}
	vals := sd.PlannedValues
	if vals == nil {
		vals = sd.Values
	}
	switch {
	case vals != nil && vals.RootModule != nil:
		if err := d.addModule(vals.RootModule, ""); err != nil {
			return nil, err
		}
	case len(sd.ResourceChanges) > 0:
		// A plan trimmed to its changes: take each resource's state after
		// the change, leaving out what the plan deletes.
		if err := d.addChanges(sd.ResourceChanges); err != nil {
			return nil, err
		}
	}
	if sd.Configuration != nil && sd.Configuration.RootModule != nil {
		d.addConfig(sd.Configuration.RootModule, "")
	}
	d.changes = readChanges(sd.PlannedValues != nil, sd.ResourceChanges)
	return d, nil
}

func (d *doc) addModule(m *moduleDoc, path string) error {
	for i, rd := range m.Resources {
		if rd.Mode != "" && rd.Mode != "managed" {
			continue // data sources are read, not managed
		}
		if rd.Address == "" || rd.Type == "" || rd.Name == "" {
			return assay.Invalid("input", "resource %d of module %q lacks address, type or name", i, moduleLabel(m.Address))
		}
		vals, _ := normalize(rd.Values).(map[string]any)
		if vals == nil {
			vals = map[string]any{}
		}
		redact(vals, rd.SensitiveValues)
		r := &resource{Address: rd.Address, Type: rd.Type, Index: normalize(rd.Index), Module: path, Values: vals}
		r.ConfigAddr = joinAddr(path, rd.Type+"."+rd.Name)
		d.resources = append(d.resources, r)
		d.byType[r.Type] = append(d.byType[r.Type], r)
		d.byConfig[r.ConfigAddr] = append(d.byConfig[r.ConfigAddr], r)
	}
	for i := range m.ChildModules {
		cm := &m.ChildModules[i]
		if cm.Address == "" {
			return assay.Invalid("input", "child module %d of module %q has no address", i, moduleLabel(m.Address))
		}
		if err := d.addModule(cm, stripKeys(cm.Address)); err != nil {
			return err
		}
	}
	return nil
}

func (d *doc) addChanges(changes []changeDoc) error {
	for i, c := range changes {
		if slices.Equal(c.Change.Actions, []string{"delete"}) || c.Change.After == nil {
			continue
		}
		if c.Address == "" || c.Type == "" || c.Name == "" {
			return assay.Invalid("input", "resource change %d lacks address, type or name", i)
		}
		sensitive, _ := c.Change.AfterSensitive.(map[string]any)
		m := &moduleDoc{Address: c.ModuleAddress, Resources: []resourceDoc{{Address: c.Address, Mode: c.Mode, Type: c.Type,
			Name: c.Name, Index: c.Index, Values: c.Change.After, SensitiveValues: sensitive}}}
		if err := d.addModule(m, stripKeys(c.ModuleAddress)); err != nil {
			return err
		}
	}
	return nil
}

func moduleLabel(addr string) string {
	if addr == "" {
		return "root"
	}
	return addr
}

func (d *doc) addConfig(m *configModule, path string) {
	for _, cr := range m.Resources {
		d.exprs[joinAddr(path, cr.Address)] = cr.Expressions
	}
	for name, call := range m.ModuleCalls {
		if call.Module != nil {
			d.addConfig(call.Module, joinAddr(path, "module."+name))
		}
	}
}

func joinAddr(path, rest string) string {
	if path == "" {
		return rest
	}
	return path + "." + rest
}

// stripKeys removes instance keys ([0], ["a"]) from an address, giving the
// configuration address.
func stripKeys(addr string) string {
	var b strings.Builder
	depth, inStr := 0, false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"' && depth > 0:
			inStr = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// normalize turns json.Numbers into int64 (whole) or float64, at any depth.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	}
	return v
}

// redact drops values Terraform marks sensitive and arguments whose names
// say they hold a secret: resources are stored and shown.
func redact(vals map[string]any, sensitive map[string]any) {
	for k, v := range sensitive {
		switch s := v.(type) {
		case bool:
			if s {
				delete(vals, k)
			}
		case map[string]any:
			if sub, ok := vals[k].(map[string]any); ok {
				redact(sub, s)
			}
		}
	}
	for k := range vals {
		if secretName(k) {
			delete(vals, k)
		}
	}
}

func secretName(k string) bool {
	switch k {
	case "password", "secret", "token", "private_key", "secret_string", "ses_smtp_password_v4", "connection_string":
		return true
	}
	for _, suf := range []string{"_password", "_secret", "_token", "_access_key", "_private_key", "_connection_string"} {
		if strings.HasSuffix(k, suf) {
			return true
		}
	}
	return false
}

// jsonError says where a document is broken, by line and column.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := monitor.LineCol(data, syn.Offset)
		return assay.Invalid("input", "invalid JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := monitor.LineCol(data, typ.Offset)
		return assay.Invalid("input", "unexpected %s for field %q at line %d, column %d", typ.Value, typ.Field, line, col)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return assay.Invalid("input", "the document ends too early (truncated JSON)")
	}
	return assay.Invalid("input", "cannot read the document: %v", err)
}
