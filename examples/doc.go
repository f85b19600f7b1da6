// Package examples embeds the published payment model files, one per
// region and model year, under <region>/<year>.yaml, each with a README.md
// citing its sources. Models returns them sorted by name ("halland-2019",
// "skane-2023", "vgr-2017"); parse one with payment.ParseModel.
//
// Every figure in a model file carries its source; a figure not found in a
// public source is marked as an assumption with its reason. The format is
// described for editors by model.schema.json beside the models (README.md
// says what it checks and what only `vardval model check` does). The
// package has no state: the zero value of ModelFile is an empty model entry.
package examples
