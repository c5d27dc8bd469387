// Shared search queries.
export function staleQuery(days: number): Intercom.MultipleFilterSearchRequest {
  return {
    operator: "AND",
    value: [
      { field: "state", operator: "=", value: "open" },
      { field: "updated_at", operator: "<", value: time.daysAgo(days) },
    ],
  };
}

export const vipQuery: Intercom.SingleFilterSearchRequest = { field: "custom_attributes.vip", operator: "=", value: true };
