module registry.example.com/team/svc

go 1.22
