package infra

// The Cognito user pool: users sign in with their email; organisations
// create their users (no self sign-up); groups carry the roles.

func userPoolResource() node {
	return object(
		"Type", "AWS::Cognito::UserPool",
		// Users are data: deleting the stack keeps them (and the pool's
		// deletion protection refuses a direct delete).
		"DeletionPolicy", "Retain",
		"UpdateReplacePolicy", "Retain",
		"Properties", object(
			"UserPoolName", sub("${AWS::StackName}-users"),
			"UsernameAttributes", stringList([]string{"email"}),
			"UsernameConfiguration", object("CaseSensitive", false),
			"AutoVerifiedAttributes", stringList([]string{"email"}),
			"AdminCreateUserConfig", object("AllowAdminCreateUserOnly", true),
			"AccountRecoverySetting", object("RecoveryMechanisms", list(object("Name", "verified_email", "Priority", 1))),
			"Policies", object("PasswordPolicy", object(
				"MinimumLength", 12,
				"RequireLowercase", true,
				"RequireUppercase", true,
				"RequireNumbers", true,
				"RequireSymbols", false,
				"TemporaryPasswordValidityDays", 7)),
			"DeletionProtection", "ACTIVE",
		),
	)
}

func groupResource(group string) node {
	return object(
		"Type", "AWS::Cognito::UserPoolGroup",
		"Properties", object(
			"UserPoolId", ref(idUserPool),
			"GroupName", group,
			"Description", "Dayline's "+group+" (the cognito:groups claim Dayline reads)",
		),
	)
}

// userPoolClient is a public app client (no secret: apps cannot keep one)
// signing in with SRP; refresh tokens are revocable, so a global sign-out
// ends a session at its next refresh.
func userPoolClient(name string) node {
	return object(
		"Type", "AWS::Cognito::UserPoolClient",
		"Properties", object(
			"UserPoolId", ref(idUserPool),
			"ClientName", sub("${AWS::StackName}-"+name),
			"GenerateSecret", false,
			"ExplicitAuthFlows", stringList([]string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}),
			"PreventUserExistenceErrors", "ENABLED",
			"EnableTokenRevocation", true,
			"AccessTokenValidity", 60,
			"IdTokenValidity", 60,
			"RefreshTokenValidity", 30,
			"TokenValidityUnits", object("AccessToken", "minutes", "IdToken", "minutes", "RefreshToken", "days"),
		),
	)
}
