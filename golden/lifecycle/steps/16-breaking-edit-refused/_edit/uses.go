package main

// archiveName uses generated names in a file of the user's.
func archiveName(in Input) string {
	if in.Level == InputLevelBest {
		return in.Name + ".best"
	}
	return in.Name
}
