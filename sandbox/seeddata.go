package sandbox

// Word lists of the seeded workspace.

var firstNames = []string{
	"Aoife", "Bruno", "Chen", "Daniela", "Eamon", "Fatima", "Georg", "Hana", "Ivan", "Jade",
	"Kwame", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tomas",
	"Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bilal", "Carmen", "Dara",
}

var lastNames = []string{
	"Murphy", "Santos", "Wang", "Rossi", "Byrne", "Haddad", "Keller", "Sato", "Petrov", "Dubois",
	"Mensah", "Garcia", "Lopez", "Novak", "Berg", "Patel", "Reilly", "Costa", "Larsen", "Horvat",
	"Iyer", "Kowalski", "Liu", "Moreno", "Demir", "Fischer", "Okoye", "Qureshi", "Navarro", "Kelly",
}

var companyWords = [][]string{
	{"Northwind", "Bluebird", "Granite", "Lumen", "Harbor", "Quartz", "Juniper", "Copper", "Atlas", "Meridian", "Pioneer", "Cobalt", "Willow", "Summit", "Orbit"},
	{"Logistics", "Analytics", "Health", "Foods", "Labs", "Studios", "Energy", "Robotics", "Finance", "Travel"},
}

var industries = []string{"Software", "Retail", "Healthcare", "Logistics", "Finance", "Education", "Media", "Manufacturing"}

var plans = []string{"free", "starter", "pro", "enterprise"}

var cities = []struct{ country, code, region, city, continent string }{
	{"Ireland", "IE", "Leinster", "Dublin", "EU"}, {"Brazil", "BR", "São Paulo", "São Paulo", "SA"},
	{"United States", "US", "California", "San Francisco", "NA"}, {"Germany", "DE", "Berlin", "Berlin", "EU"},
	{"Japan", "JP", "Tokyo", "Tokyo", "AS"}, {"India", "IN", "Karnataka", "Bengaluru", "AS"},
	{"Portugal", "PT", "Lisbon", "Lisbon", "EU"}, {"Nigeria", "NG", "Lagos", "Lagos", "AF"},
}

var browsers = []string{"chrome", "firefox", "safari", "edge"}

var oses = []string{"OS X 14.4", "Windows 11", "Ubuntu", "iOS 17.4", "Android 14"}

var adminSeeds = []struct{ name, title string }{
	{"Ana Silva", "Head of Support"}, {"Ben Okafor", "Support Engineer"}, {"Chloé Martin", "Support Engineer"},
	{"Dmitri Volkov", "Billing Specialist"}, {"Emma Walsh", "Account Executive"}, {"Farah Khan", "Solutions Engineer"},
}

var teamSeeds = []string{"Support", "Billing", "Sales", "Tier 2"}

var tagSeeds = []string{"vip", "churn-risk", "beta", "enterprise", "feedback", "bug", "billing", "onboarding", "needs-follow-up", "unused"}

var subjects = []string{
	"Can't log in after password reset", "Invoice shows the wrong VAT number", "How do I export my data?",
	"Feature request: dark mode", "Integration with Slack stopped working", "Upgrade to the Pro plan",
	"Charged twice this month", "API returns 500 on /reports", "Adding teammates to my workspace",
	"Cancel my subscription", "Question about data retention", "Mobile app crashes on start",
}

var customerLines = []string{
	"Hi, I need some help with this please.", "It was working yesterday and now it isn't.",
	"Any update on this?", "Thanks, that fixed it!", "I tried that but I still see the same error.",
	"Could you look at my account?", "Here is a screenshot of what I see.",
}

var adminLines = []string{
	"Thanks for reaching out! Let me take a look.", "Could you share a screenshot of the error?",
	"I've refunded the duplicate charge; it will show in 5-10 days.", "This is fixed now, can you try again?",
	"I've passed this to our engineering team.", "You can find the export under Settings > Data.",
}

var articleSeeds = []struct{ title, desc, collection string }{
	{"Getting started with Acme", "Your first steps", "Getting started"},
	{"Inviting your teammates", "Work together in one workspace", "Getting started"},
	{"Setting up single sign-on", "SAML and Google sign-in", "Getting started"},
	{"Understanding your invoice", "Line items, taxes and credits", "Billing"},
	{"Changing your plan", "Upgrade, downgrade or cancel", "Billing"},
	{"Refunds and duplicate charges", "How refunds work", "Billing"},
	{"Connecting Slack", "Notifications in your channels", "Integrations"},
	{"Using the REST API", "Tokens, versions and rate limits", "Integrations"},
	{"Exporting your data", "CSV and JSON exports", "Integrations"},
	{"Troubleshooting login problems", "Passwords, 2FA and SSO", "Troubleshooting"},
	{"The mobile app crashes on start", "Known issues and fixes", "Troubleshooting"},
	{"Rate limits explained", "What 429 means and how to retry", "Troubleshooting"},
}

var collectionSeeds = []string{"Getting started", "Billing", "Integrations", "Troubleshooting"}

var eventNames = []string{"logged-in", "invited-teammate", "created-report", "exported-report", "upgraded-plan"}
