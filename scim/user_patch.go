package scim

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	filter "github.com/scim2/filter-parser/v2"
)

// applyUserOp applies one PATCH operation to the user's attributes.
func applyUserOp(in *assay.SCIMUser, op patchOp) error {
	if op.Path == "" {
		if op.Op == "remove" {
			return scimError(http.StatusBadRequest, errNoTarget, "A remove needs a path.")
		}
		m, ok := op.Value.(map[string]any)
		if !ok {
			return scimError(http.StatusBadRequest, errValue, "Without a path, the value must be an object of attributes.")
		}
		for k, v := range m {
			if err := setUserAttr(in, k, "", v); err != nil {
				return err
			}
		}
		return nil
	}
	path := op.Path
	if rest, ok := cutURN(path); ok {
		path = rest
	} else if strings.HasPrefix(strings.ToLower(path), "urn:") {
		return nil // an extension's attribute Assay does not keep
	}
	p, err := filter.ParsePath([]byte(path))
	if err != nil {
		return scimError(http.StatusBadRequest, errPath, "The path "+op.Path+" is not a SCIM path: "+err.Error()+".")
	}
	attr, sub := p.AttributePath.AttributeName, p.AttributePath.SubAttributeName()
	if p.SubAttribute != nil {
		sub = *p.SubAttribute
	}
	value := op.Value
	if op.Op == "remove" {
		switch strings.ToLower(attr) {
		case "username":
			return scimError(http.StatusBadRequest, errMutability, "userName is required and cannot be removed.")
		case "active":
			return scimError(http.StatusBadRequest, errMutability, "Set active to false instead of removing it.")
		}
		value = nil
	}
	// emails[type eq "work"].value: Assay keeps one email, the work one.
	if p.ValueExpression != nil && strings.EqualFold(attr, "emails") {
		if op.Op == "remove" {
			in.Email = ""
			return nil
		}
		if sub == "" {
			in.Email = pickEmail(value)
			return nil
		}
		if !strings.EqualFold(sub, "value") {
			return nil
		}
		s, ok := value.(string)
		if !ok {
			return scimError(http.StatusBadRequest, errValue, op.Path+" must be a string.")
		}
		in.Email = s
		return nil
	}
	if p.ValueExpression != nil {
		return nil // a filtered path into an attribute Assay does not keep (phoneNumbers, addresses)
	}
	if strings.EqualFold(attr, "emails") && value == nil {
		in.Email = ""
		return nil
	}
	return setUserAttr(in, attr, sub, value)
}
