package web

import "github.com/assay-platform/assay"

// peopleRoutes registers the roster, checklists, training and the employee
// portal. Everyone but employees reads the roster; admins change it;
// employees see only their own tasks in the portal.
func (s *Server) peopleRoutes() {
	s.page("GET /people", assay.ActionReadPeople, s.peoplePage)
	s.page("POST /people", assay.ActionManagePeople, s.createPersonForm)
	s.page("POST /people/import", assay.ActionManagePeople, s.importPeopleForm)
	s.page("GET /people/{id}", assay.ActionReadPeople, s.personPage)
	s.page("POST /people/{id}", assay.ActionManagePeople, s.updatePersonForm)
	s.page("POST /people/{id}/training", assay.ActionManagePeople, s.assignPersonTrainingForm)
	s.page("POST /checklist-items/{id}", assay.ActionManagePeople, s.checklistItemForm)
	s.page("GET /training", assay.ActionReadPeople, s.trainingPage)
	s.page("POST /training/courses", assay.ActionManagePeople, s.createCourseForm)
	s.page("POST /training/courses/{id}", assay.ActionManagePeople, s.updateCourseForm)
	s.page("POST /training/assignments", assay.ActionManagePeople, s.assignTrainingForm)
	s.page("POST /training/completions/import", assay.ActionManagePeople, s.importCompletionsForm)

	s.page("GET /portal", assay.ActionUsePortal, s.portalPage)
	s.page("POST /portal/training/{id}/start", assay.ActionUsePortal, s.portalStartTraining)
	s.page("POST /portal/training/{id}/complete", assay.ActionUsePortal, s.portalCompleteTraining)
	s.page("POST /portal/checklist/{id}/complete", assay.ActionUsePortal, s.portalCompleteItem)
	s.page("POST /portal/incidents", assay.ActionUsePortal, s.portalReportIncident)

}
