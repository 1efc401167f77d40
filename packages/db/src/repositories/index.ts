// Each repository is a Nest provider taking the DataSource. Every method that reads customer data
// takes the account id as a required argument.
export const REPOSITORIES: Function[] = [];
