package cognito

// The admin operations Client calls: each method calls exactly one, and
// nothing else is ever sent (TestIAMActionsAreTheCallsMade checks it).
const (
	opAdminCreateUser           = "AdminCreateUser"
	opAdminAddUserToGroup       = "AdminAddUserToGroup"
	opAdminRemoveUserFromGroup  = "AdminRemoveUserFromGroup"
	opAdminUserGlobalSignOut    = "AdminUserGlobalSignOut"
	opAdminDisableUser          = "AdminDisableUser"
	opAdminEnableUser           = "AdminEnableUser"
	opAdminDeleteUser           = "AdminDeleteUser"
	opAdminUpdateUserAttributes = "AdminUpdateUserAttributes"
)

// operations is every operation Client calls, in IAMActions' order.
var operations = []string{
	opAdminCreateUser,
	opAdminAddUserToGroup,
	opAdminRemoveUserFromGroup,
	opAdminUserGlobalSignOut,
	opAdminDisableUser,
	opAdminEnableUser,
	opAdminDeleteUser,
	opAdminUpdateUserAttributes,
}

// IAMActions returns the IAM actions ("cognito-idp:AdminCreateUser", ...)
// of every call Client makes, on the user pool's ARN: exactly what an IAM
// policy for Dayline's function and for `dayline operator create` must
// allow, and no more. A new slice each call.
func IAMActions() []string {
	out := make([]string, len(operations))
	for i, op := range operations {
		out[i] = signingName + ":" + op
	}
	return out
}
