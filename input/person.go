package input

import (
	"net/url"

	"github.com/assay-platform/assay"
)

// PersonInput is a person as forms and the API send it: dates as text.
type PersonInput struct {
	Name           *string `json:"name"`
	Email          *string `json:"email"`
	Title          *string `json:"title"`
	Department     *string `json:"department"`
	ManagerEmail   *string `json:"manager_email"`
	StartDate      *string `json:"start_date"`
	EndDate        *string `json:"end_date"`
	EmploymentType *string `json:"employment_type"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// newPerson turns input into a new person.
func (in PersonInput) NewPerson() (assay.NewPerson, error) {
	n := assay.NewPerson{Name: str(in.Name), Email: str(in.Email), Title: str(in.Title), Department: str(in.Department),
		ManagerEmail: str(in.ManagerEmail), EmploymentType: assay.EmploymentType(str(in.EmploymentType))}
	var err error
	if n.StartDate, err = assay.ParseDate("start_date", str(in.StartDate)); err != nil {
		return n, err
	}
	n.EndDate, err = assay.ParseDate("end_date", str(in.EndDate))
	return n, err
}

// patch turns input into a patch: absent fields are left alone, an empty
// end date clears it.
func (in PersonInput) Patch() (assay.PersonPatch, error) {
	p := assay.PersonPatch{Name: in.Name, Email: in.Email, Title: in.Title, Department: in.Department, ManagerEmail: in.ManagerEmail}
	if in.EmploymentType != nil {
		t := assay.EmploymentType(*in.EmploymentType)
		p.EmploymentType = &t
	}
	var err error
	if in.StartDate != nil {
		if p.StartDate, err = assay.ParseDate("start_date", *in.StartDate); err != nil {
			return p, err
		}
		if p.StartDate == nil {
			return p, assay.Invalid("start_date", "start_date cannot be removed once set")
		}
	}
	if in.EndDate != nil {
		if p.EndDate, err = assay.ParseDate("end_date", *in.EndDate); err != nil {
			return p, err
		}
		p.ClearEndDate = p.EndDate == nil
	}
	return p, nil
}

// FormPersonInput reads the person form's fields.
func FormPersonInput(form url.Values) PersonInput {
	get := func(k string) *string { v := form.Get(k); return &v }
	return PersonInput{Name: get("name"), Email: get("email"), Title: get("title"), Department: get("department"),
		ManagerEmail: get("manager_email"), StartDate: get("start_date"), EndDate: get("end_date"), EmploymentType: get("employment_type")}
}
