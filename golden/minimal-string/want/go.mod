module shout

go 1.22
