//go:build !race

package attack

// raceEnabled is true in tests built with -race.
const raceEnabled = false
