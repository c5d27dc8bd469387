package sandbox

// The subscriptionTypes namespace (intercom.subscriptionTypes).
func init() {
	register("subscriptionTypes", map[string]handler{
		"listSubscriptionTypes": hListSubscriptionTypes,
	})
}

// Subscription types.

func hListSubscriptionTypes(c *call) (any, *apiError) {
	return record{"type": "list", "data": render(c.st.t(tSubscriptions).all(), deepCopyRecord)}, nil
}
