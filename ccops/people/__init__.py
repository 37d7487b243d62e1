"""People: employees, groups and areas (teams), skills and who holds them."""
