package postgres

import "io/fs"

// Migrations returns the embedded schema migrations (goose SQL files, one
// per version). Tests hash them to reuse a database migrated once.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}
