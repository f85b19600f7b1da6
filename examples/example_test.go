package examples_test

import (
	"fmt"

	"github.com/vardval/vardval/examples"
)

func ExampleModels() {
	for _, m := range examples.Models() {
		fmt.Println(m.Name, m.Path)
	}
	// Output:
	// halland-2019 halland/2019.yaml
	// skane-2023 skane/2023.yaml
	// vgr-2017 vgr/2017.yaml
}
