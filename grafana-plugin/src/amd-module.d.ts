declare module 'amd-module' {
  const meta: { uri?: string } | undefined;
  export default meta;
}
