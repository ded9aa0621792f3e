package input

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// AccessReviewForm reads a campaign from a form: systems one per line as
// "name" or "name = owner e-mail".
func AccessReviewForm(ctx context.Context, org store.OrgStore, get func(string) string) (assay.NewAccessReview, error) {
	n := assay.NewAccessReview{Name: get("name"), Period: get("period")}
	due, err := ParseDate("due_date", get("due_date"))
	if err != nil {
		return n, err
	}
	if due != nil {
		n.DueDate = *due
	}
	users, err := org.Users(ctx)
	if err != nil {
		return n, err
	}
	for _, line := range strings.Split(get("systems"), "\n") {
		name, owner, _ := strings.Cut(line, "=")
		name, owner = strings.TrimSpace(name), strings.TrimSpace(owner)
		if name == "" {
			continue
		}
		sys := assay.AccessSystem{Name: name}
		if owner != "" {
			for _, u := range users {
				if strings.EqualFold(u.Email, owner) {
					sys.OwnerID = u.ID
				}
			}
			if sys.OwnerID == 0 {
				return n, assay.Invalid("systems", "No user has the e-mail %q to own %s.", owner, name)
			}
		}
		n.Systems = append(n.Systems, sys)
	}
	return n, nil
}

func AccountID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("account"), 10, 64)
	if err != nil || id <= 0 {
		return 0, assay.Errorf(assay.ENOTFOUND, "Account not found in this access review.")
	}
	return id, nil
}
