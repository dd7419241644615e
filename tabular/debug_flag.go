package tabular

var debugLP = false
