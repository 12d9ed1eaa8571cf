// Every workflow the worker runs. Only deterministic modules may be imported here (bundled into the sandbox).
export { maintenanceWorkflow } from './maintenance';
