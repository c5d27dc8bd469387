// expect: TS2322
// expect: "user"
await intercom.dataAttributes.create({ name: "plan", model: "user", data_type: "string" });
