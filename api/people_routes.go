package api

import "github.com/assay-platform/assay"

// peopleRoutes registers the roster, checklists, training and the employee
// portal. Everyone but employees reads the roster; admins change it;
// employees see only their own tasks in the portal.
func (s *Server) peopleRoutes() {

	s.api("GET /api/v1/people", assay.ActionReadPeople, s.apiPeople)
	s.api("POST /api/v1/people", assay.ActionManagePeople, s.apiCreatePerson)
	s.api("POST /api/v1/people/import", assay.ActionManagePeople, s.apiImportPeople)
	s.api("GET /api/v1/people.csv", assay.ActionReadPeople, s.peopleCSV)
	s.api("GET /api/v1/people/{id}", assay.ActionReadPeople, s.apiPerson)
	s.api("PATCH /api/v1/people/{id}", assay.ActionManagePeople, s.apiUpdatePerson)
	s.api("POST /api/v1/checklist-items/{id}", assay.ActionManagePeople, s.apiChecklistItem)
	s.api("GET /api/v1/training/courses", assay.ActionReadPeople, s.apiCourses)
	s.api("POST /api/v1/training/courses", assay.ActionManagePeople, s.apiCreateCourse)
	s.api("PUT /api/v1/training/courses/{id}", assay.ActionManagePeople, s.apiUpdateCourse)
	s.api("GET /api/v1/training/assignments", assay.ActionReadPeople, s.apiAssignments)
	s.api("GET /api/v1/training/assignments.csv", assay.ActionReadPeople, s.trainingCSV)
	s.api("POST /api/v1/training/assignments", assay.ActionManagePeople, s.apiAssignTraining)
	s.api("POST /api/v1/training/completions/import", assay.ActionManagePeople, s.apiImportCompletions)
	s.api("GET /api/v1/portal", assay.ActionUsePortal, s.apiPortal)
}
