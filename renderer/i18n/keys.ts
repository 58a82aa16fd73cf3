/** Réglages → Clé de signature. */
export const keysFr = {
  title: 'Clé de signature',
  intro:
    'Ordo signe chaque ordonnance avec votre clé. Sa partie publique et un certificat à votre nom et à votre numéro RPPS permettent à un pharmacien, à l’Assurance Maladie ou à un autre logiciel de vérifier ces signatures : vous pouvez les leur transmettre. La clé privée ne quitte jamais Ordo.',
  keyId: 'Identifiant de la clé',
  keyIdUnknown: 'affiché à l’export (Ordo ouvre alors la clé avec sa phrase de passe)',
  export: 'Exporter la clé publique (certificat)',
  exporting: 'Export en cours…',
  exported: (fileName: string) => `Fichier « ${fileName} » téléchargé : clé publique et certificat.`,
  rotate: {
    open: 'Changer de clé de signature…',
    title: 'Changer de clé de signature',
    explain:
      'Ordo retire la clé actuelle et en crée une nouvelle pour les prochaines ordonnances. Les ordonnances déjà signées restent vérifiables : la partie publique de l’ancienne clé est gardée. Exportez ensuite la nouvelle clé publique pour ceux qui vérifient vos ordonnances.',
    confirm: 'Confirmer le changement',
    rotating: 'Changement en cours…',
    keep: 'Annuler',
    done: (keyId: string) => `Nouvelle clé de signature : ${keyId}. Exportez sa clé publique.`,
  },
};
