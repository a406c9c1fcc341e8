package smguard.lib.config_test

import data.smguard.lib.config

test_defaults_without_configuration if {
	config.setting(["allowlists", "subnets"]) == []
	config.setting(["domains", "allow_replacement"]) == false
	config.setting(["pipelines", "minimum"]) == "isolation_and_vpc"
	"sagemaker.api" in config.setting(["vpc_endpoints", "required_services"])
	config.setting(["no", "such", "setting"]) == null
	config.rules == {}
	config.exemptions == []
}

test_given_settings_override_defaults_one_by_one if {
	settings := {"allowlists": {"subnets": ["subnet-1"]}, "domains": {"allow_replacement": true}}
	config.setting(["allowlists", "subnets"]) == ["subnet-1"] with data.smguard.config.settings as settings
	config.setting(["allowlists", "vpcs"]) == [] with data.smguard.config.settings as settings
	config.setting(["domains", "allow_replacement"]) with data.smguard.config.settings as settings
}

test_today_is_the_given_day if {
	config.today == "2026-11-23" with data.smguard.now as "2026-11-23"
}

test_today_falls_back_to_the_clock if {
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, config.today)
}
