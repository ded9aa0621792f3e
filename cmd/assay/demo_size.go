package main

import (
	"fmt"
	"strings"
)

// DemoSize is how big an organisation `assay demo` seeds. The default is
// the hand-written demo; the larger sizes add generated records of the same
// kinds on top of it, so pages and benchmarks can be tried at a real
// company's size.
type DemoSize struct {
	Name      string
	Controls  int // total controls: the library plus generated ones
	Evidence  int // evidence items in all
	People    int // generated people added to the roster
	Vendors   int
	Risks     int
	Resources int // resources of the generated Terraform source
	Hours     int // hourly runs of that source, ending now
}

// Demo sizes: the default demo, the large profile of issue #12 and xl, for
// benchmarks only.
var (
	DemoSizeDefault = DemoSize{Name: "demo"}
	DemoSizeLarge   = DemoSize{Name: "large", Controls: 500, Evidence: 5000, People: 1000, Vendors: 300, Risks: 200, Resources: 10_000, Hours: 30 * 24}
	DemoSizeXL      = DemoSize{Name: "xl", Controls: 500, Evidence: 5000, People: 5000, Vendors: 300, Risks: 200, Resources: 50_000, Hours: 30 * 24}
)

// ParseDemoSize reads a --size value.
func ParseDemoSize(s string) (DemoSize, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "demo", "default":
		return DemoSizeDefault, nil
	case "large":
		return DemoSizeLarge, nil
	case "xl":
		return DemoSizeXL, nil
	}
	return DemoSize{}, fmt.Errorf("unknown demo size %q: use demo, large or xl", s)
}

// Scaled reports whether the size adds generated records to the demo.
func (s DemoSize) Scaled() bool { return s.Name != "" && s.Name != DemoSizeDefault.Name }
