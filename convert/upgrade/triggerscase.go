package upgrade

import (
	"encoding/json"

	triggersv1alpha1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1alpha1"
	triggersv1beta1 "github.com/tektoncd/triggers/pkg/apis/triggers/v1beta1"
	"go.yaml.in/yaml/v3"
)

// triggersFieldCase renames the keys of Triggers document r whose case differs from
// the field Triggers decoded them into (resourceTemplates, apiVersion in a binding):
// Triggers read them with Go's case-insensitive JSON decoding, the v1beta1 schema and
// validation want the exact spelling. Fields Triggers never had are left to validation.
func (s *docState) triggersFieldCase(r *yaml.Node, av, kind string) {
	var obj any
	if av == triggersGroup+"v1beta1" {
		switch kind {
		case "TriggerTemplate":
			obj = &triggersv1beta1.TriggerTemplate{}
		case "TriggerBinding":
			obj = &triggersv1beta1.TriggerBinding{}
		case "ClusterTriggerBinding":
			obj = &triggersv1beta1.ClusterTriggerBinding{}
		case "EventListener":
			obj = &triggersv1beta1.EventListener{}
		case "Trigger":
			obj = &triggersv1beta1.Trigger{}
		}
	} else { // v1alpha1, in either group
		switch kind {
		case "TriggerTemplate":
			obj = &triggersv1alpha1.TriggerTemplate{}
		case "TriggerBinding":
			obj = &triggersv1alpha1.TriggerBinding{}
		case "ClusterTriggerBinding":
			obj = &triggersv1alpha1.ClusterTriggerBinding{}
		case "EventListener":
			obj = &triggersv1alpha1.EventListener{}
		case "Trigger":
			obj = &triggersv1alpha1.Trigger{}
		case "Interceptor":
			obj = &triggersv1alpha1.Interceptor{}
		case "ClusterInterceptor":
			obj = &triggersv1alpha1.ClusterInterceptor{}
		}
	}
	if obj == nil {
		return
	}
	var generic any
	if err := r.Decode(&generic); err != nil {
		return
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return
	}
	// A field of an old shape may not decode; what did decode is still matched.
	_ = json.Unmarshal(raw, obj)
	s.fixFieldCase(r, r, obj)
}
