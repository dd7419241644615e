package tabular

// debugLP prints solver and repair progress (development only).
var debugLP = false
