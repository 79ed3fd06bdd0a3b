package simulate

import (
	"context"
	"strings"

	"github.com/tektoncd/pipeline/pkg/apis/pipeline"
	fakepipeline "github.com/tektoncd/pipeline/pkg/client/clientset/versioned/fake"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	fakekube "k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"knative.dev/pkg/apis"
)

// images are the controller's own images; the pod builder needs them set, and they
// only appear inside the built Pods.
var images = pipeline.Images{
	EntrypointImage:        "tekton-entrypoint",
	SidecarLogResultsImage: "tekton-sidecarlogresults",
	NopImage:               "tekton-nop",
	ShellImage:             "tekton-shell",
	ShellImageWin:          "tekton-shell-win",
	WorkingDirInitImage:    "tekton-workingdirinit",
}

// newTektonClient is a fake tekton clientset holding objs. The controller's remote
// resolution dry-runs each resolved object through the API server, whose admission
// webhook defaults and validates it; the reactor does the same with Tekton's code.
func newTektonClient(objs []runtime.Object) *fakepipeline.Clientset {
	c := fakepipeline.NewSimpleClientset(objs...)
	c.PrependReactor("create", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		obj := a.(k8stesting.CreateAction).GetObject()
		ctx := context.Background()
		if d, ok := obj.(apis.Defaultable); ok {
			d.SetDefaults(ctx)
		}
		if v, ok := obj.(apis.Validatable); ok {
			if fe := v.Validate(ctx); fe != nil {
				return true, nil, apierrors.NewBadRequest(strings.TrimSpace(fe.Error()))
			}
		}
		return true, obj, nil
	})
	return c
}

// newKubeClient is a fake Kubernetes clientset holding the service accounts the runs
// name: the pod builder reads a run's service account for its credentials.
func newKubeClient(serviceAccounts []string) *fakekube.Clientset {
	var objs []runtime.Object
	seen := map[string]bool{}
	for _, sa := range append([]string{"default"}, serviceAccounts...) {
		if sa == "" || seen[sa] {
			continue
		}
		seen[sa] = true
		objs = append(objs, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa, Namespace: Namespace}})
	}
	return fakekube.NewSimpleClientset(objs...)
}
